import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Clock } from "../../core/clock.ts";
import { type ControlStore, MemoryControlStore } from "../../core/control.ts";
import { ConfigError } from "../config/config-error.ts";
import type { EnvironmentConfig, RegionConfig } from "../config/schema.ts";
import { createDynamoDbClient, isLoopbackUrl } from "./dynamodb-client.ts";
import { DynamoDbControlStore } from "./dynamodb-control-store.ts";
import { toStoreError } from "./dynamodb-errors.ts";
import { DynamoDbStore } from "./dynamodb-store.ts";
import {
  controlTableDefinition,
  ensureTables,
  regionTableDefinitions,
  TableSchemaMismatchError,
} from "./dynamodb-tables.ts";
import { MemoryStore } from "./memory-store.ts";
import type { Store } from "./store.ts";

export interface CreateStoreOptions {
  /**
   * Create missing tables before returning. Default: only against a loopback endpoint
   * (DynamoDB Local); in AWS `failover deploy` creates them and the service must not.
   */
  ensureTables?: boolean;
  clock?: Clock;
}

/** The region's Store as `config.store.kind` says: a fresh MemoryStore, or DynamoDB tables. */
export async function createStore(
  config: EnvironmentConfig,
  regionName: string,
  options: CreateStoreOptions = {},
): Promise<Store> {
  const region = findRegion(config, regionName);
  if (config.store.kind === "memory") return new MemoryStore();
  const client = dynamoDbClient(config, region);
  if (shouldEnsureTables(config, options)) {
    await ensureTablesOrDestroy(client, () => regionTableDefinitions(config.store.tablePrefix, region.name));
  }
  return new DynamoDbStore({
    client,
    tablePrefix: config.store.tablePrefix,
    region: region.name,
    ...(options.clock !== undefined ? { clock: options.clock } : {}),
  });
}

export interface CreateControlStoreOptions extends CreateStoreOptions {
  /** The in-memory record every router and region of one process shares (memory kind). */
  shared?: MemoryControlStore;
  /**
   * The region whose AWS region holds the control table (default: `initialActive`). Every
   * router and region must use the same one; with DynamoDB in AWS it should be a global table
   * or live outside both service regions, or losing that region also loses promotion.
   */
  homeRegion?: string;
}

export async function createControlStore(
  config: EnvironmentConfig,
  options: CreateControlStoreOptions = {},
): Promise<ControlStore> {
  if (config.store.kind === "memory") return options.shared ?? new MemoryControlStore();
  const client = dynamoDbClient(config, findRegion(config, options.homeRegion ?? config.initialActive));
  if (shouldEnsureTables(config, options)) {
    await ensureTablesOrDestroy(client, () => [controlTableDefinition(config.store.tablePrefix)]);
  }
  return new DynamoDbControlStore({ client, tablePrefix: config.store.tablePrefix });
}

function findRegion(config: EnvironmentConfig, regionName: string): RegionConfig {
  const region = config.regions.find((r) => r.name === regionName);
  if (region !== undefined) return region;
  const names = config.regions.map((r) => r.name).join(", ");
  throw new ConfigError([
    {
      file: `environment ${config.name}`,
      field: "regions",
      reason: `no region "${regionName}" (have ${names})`,
    },
  ]);
}

function dynamoDbClient(config: EnvironmentConfig, region: RegionConfig): DynamoDBClient {
  return createDynamoDbClient(config.store, {
    awsRegion: region.awsRegion,
    ...(config.aws?.profile !== undefined ? { profile: config.aws.profile } : {}),
  });
}

function shouldEnsureTables(config: EnvironmentConfig, options: CreateStoreOptions): boolean {
  return (
    options.ensureTables ?? (config.store.endpoint !== undefined && isLoopbackUrl(config.store.endpoint))
  );
}

async function ensureTablesOrDestroy(
  client: DynamoDBClient,
  defs: () => Parameters<typeof ensureTables>[1],
): Promise<void> {
  try {
    await ensureTables(client, defs());
  } catch (error) {
    client.destroy();
    // A schema mismatch says exactly what to fix; anything else is the endpoint being unreachable.
    throw error instanceof TableSchemaMismatchError ? error : toStoreError(error, "creating tables");
  }
}
