import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ConfigError } from "../../config/config-error.ts";
import { controlReplicas, type EnvironmentConfig, type RegionConfig } from "../../config/schema.ts";
import type { Clock } from "../../core/clock.ts";
import { type ControlStore, MemoryControlStore } from "../../core/control.ts";
import { type ControlReplica, FallbackControlStore } from "../../core/fallback-control-store.ts";
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
   * The AWS region the caller runs in: the control replica there is asked first (the nearest),
   * then the others in config order. Default: config order.
   */
  nearAwsRegion?: string;
  /** An endpoint per replica AWS region, instead of `store.endpoint` (tests: DynamoDB Local). */
  replicaEndpoints?: Readonly<Record<string, string>>;
}

/**
 * The control record as `config.control` places it: in DynamoDB, one client per replica region
 * (a global table with multi-Region strong consistency answers a conditional write or a
 * strongly consistent read in any of its replica regions, once a majority has it), tried
 * nearest first with fallback (core/fallback-control-store.ts); a single replica is just its
 * DynamoDbControlStore. The witness holds no readable copy, so no client talks to it.
 */
export async function createControlStore(
  config: EnvironmentConfig,
  options: CreateControlStoreOptions = {},
): Promise<ControlStore> {
  if (config.store.kind === "memory") return options.shared ?? new MemoryControlStore();
  const clients = nearestFirst(controlReplicas(config), options.nearAwsRegion).map((replica) => {
    const endpoint = options.replicaEndpoints?.[replica.awsRegion];
    const client = createDynamoDbClient(
      endpoint === undefined ? config.store : { ...config.store, endpoint },
      {
        awsRegion: replica.awsRegion,
        ...(config.aws?.profile !== undefined ? { profile: config.aws.profile } : {}),
      },
    );
    return { name: `control-${replica.awsRegion}`, client };
  });
  if (shouldEnsureTables(config, options)) {
    await ensureControlTable(config.store.tablePrefix, clients).catch((error: unknown) => {
      for (const { client } of clients) client.destroy();
      throw error;
    });
  }
  const stores: ControlReplica[] = clients.map(({ name, client }) => ({
    name,
    store: new DynamoDbControlStore({ client, tablePrefix: config.store.tablePrefix }),
  }));
  return stores.length === 1 ? stores[0]!.store : new FallbackControlStore(stores);
}

/** The replica in the caller's AWS region first, then the rest in config order. */
function nearestFirst<T extends { awsRegion: string }>(
  replicas: readonly T[],
  near: string | undefined,
): T[] {
  return [...replicas.filter((r) => r.awsRegion === near), ...replicas.filter((r) => r.awsRegion !== near)];
}

/**
 * Creates the control table through the first replica that answers (one table, replicated;
 * in AWS `failover deploy` creates the MRSC table and the service never does).
 */
async function ensureControlTable(
  tablePrefix: string,
  clients: readonly { name: string; client: DynamoDBClient }[],
): Promise<void> {
  let lastError: unknown;
  for (const { client } of clients) {
    try {
      await ensureTables(client, [controlTableDefinition(tablePrefix)]);
      return;
    } catch (error) {
      if (error instanceof TableSchemaMismatchError) throw error;
      lastError = error;
    }
  }
  throw toStoreError(lastError, "creating the control table");
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
