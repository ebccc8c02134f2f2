import { describe, expect, inject, it } from "vitest";
import { ConfigError } from "../../config/config-error.ts";
import { type EnvironmentConfig, environmentSchema } from "../../config/schema.ts";
import { ControlStoreError, MemoryControlStore } from "../../core/control.ts";
import { FallbackControlStore } from "../../core/fallback-control-store.ts";
import { createControlStore, createStore } from "../../regions/store/create-store.ts";
import { DynamoDbControlStore } from "../../regions/store/dynamodb-control-store.ts";
import { DynamoDbStore } from "../../regions/store/dynamodb-store.ts";
import { MemoryStore } from "../../regions/store/memory-store.ts";
import { StoreUnavailableError } from "../../regions/store/store.ts";
import { findFreePort } from "../support/dynamodb-local.ts";
import { uniqueTablePrefix } from "./dynamodb-test-tables.ts";
import { logEntry, makeItem } from "./store-contract.ts";

function environment(store: Record<string, unknown>): EnvironmentConfig {
  return environmentSchema.parse({
    name: "staging",
    initialActive: "stage-us",
    regions: [
      { name: "stage-us", location: "virginia", awsRegion: "us-east-1", endpoint: "http://127.0.0.1:1" },
      { name: "stage-ie", location: "ireland", awsRegion: "eu-west-1", endpoint: "http://127.0.0.1:2" },
    ],
    store,
  });
}

describe("createStore", () => {
  it("gives each call a fresh MemoryStore for the memory kind", async () => {
    const config = environment({ kind: "memory" });
    const [a, b] = [await createStore(config, "stage-us"), await createStore(config, "stage-ie")];
    expect(a).toBeInstanceOf(MemoryStore);
    expect(a).not.toBe(b);
  });

  it("names the unknown region and the ones there are", async () => {
    const create = createStore(environment({ kind: "memory" }), "prod-us");
    await expect(create).rejects.toThrow(ConfigError);
    await expect(create).rejects.toThrow('regions: no region "prod-us" (have stage-us, stage-ie)');
  });

  it("creates the region's tables on DynamoDB Local and serves from them; each region has its own", async () => {
    const config = environment({
      kind: "dynamodb",
      tablePrefix: uniqueTablePrefix("create"),
      endpoint: inject("dynamodbEndpoint"),
    });
    const us = await createStore(config, "stage-us");
    const ie = await createStore(config, "stage-ie");
    try {
      expect(us).toBeInstanceOf(DynamoDbStore);
      const item = makeItem("01HZY7Q7ZP0000000000000001");
      expect(await us.commit(logEntry(1, { kind: "put", item }))).toEqual({ ok: true });
      expect(await us.getItem(item.id)).toEqual(item);
      expect(await ie.getItem(item.id)).toBeUndefined();
      expect(await ie.head()).toEqual({ seq: 0, epoch: 0 });
    } finally {
      await Promise.all([us.close(), ie.close()]);
    }
  });

  it("fails with StoreUnavailableError when the DynamoDB endpoint does not answer", async () => {
    const config = environment({
      kind: "dynamodb",
      tablePrefix: "nobody-home",
      endpoint: `http://127.0.0.1:${await findFreePort()}`,
    });
    await expect(createStore(config, "stage-us")).rejects.toThrow(StoreUnavailableError);
  });
});

describe("createControlStore", () => {
  it("returns the shared in-memory record when given one, else a new one", async () => {
    const config = environment({ kind: "memory" });
    const shared = new MemoryControlStore();
    expect(await createControlStore(config, { shared })).toBe(shared);
    expect(await createControlStore(config)).toBeInstanceOf(MemoryControlStore);
  });

  it("creates the control table on DynamoDB Local; two stores built from one config share the record", async () => {
    const config = environment({
      kind: "dynamodb",
      tablePrefix: uniqueTablePrefix("create-control"),
      endpoint: inject("dynamodbEndpoint"),
    });
    const router = (await createControlStore(config)) as DynamoDbControlStore;
    const region = (await createControlStore(config)) as DynamoDbControlStore;
    try {
      expect(router).toBeInstanceOf(DynamoDbControlStore);
      const first = { activeRegion: "stage-us", epoch: 1, updatedAtMs: 1, reason: "bootstrap" };
      await router.compareAndSet(null, first);
      expect(await region.read()).toEqual(first);
    } finally {
      await Promise.all([router.close(), region.close()]);
    }
  });

  it("MRSC replicas: asks the nearest replica region first and falls back when it is down (DynamoDB Local)", async () => {
    const down = `http://127.0.0.1:${await findFreePort()}`;
    const config = environmentSchema.parse({
      ...environment({ kind: "dynamodb", tablePrefix: uniqueTablePrefix("mrsc"), endpoint: down }),
      control: {
        replicas: [
          { awsRegion: "us-east-1", location: "virginia" },
          { awsRegion: "us-east-2", location: "ohio" },
          { awsRegion: "us-west-2", location: "oregon" },
        ],
      },
    });
    const up = inject("dynamodbEndpoint");
    // us-east-1 (nearest to a caller there) is down; us-east-2 is DynamoDB Local.
    const control = await createControlStore(config, {
      nearAwsRegion: "us-east-1",
      ensureTables: true,
      replicaEndpoints: { "us-east-2": up },
    });
    const onlyDown = await createControlStore(config, { nearAwsRegion: "us-east-1", ensureTables: false });
    try {
      expect(control).toBeInstanceOf(FallbackControlStore);
      const first = { activeRegion: "stage-us", epoch: 1, updatedAtMs: 1, reason: "bootstrap" };
      expect(await control.compareAndSet(null, first)).toEqual({ ok: true, record: first });
      expect(await control.read()).toEqual(first);
      const next = { activeRegion: "stage-ie", epoch: 2, updatedAtMs: 2, reason: "failover" };
      expect((await control.compareAndSet(1, next)).ok).toBe(true);
      // Every replica endpoint down: one ControlStoreError naming each.
      const error = await onlyDown.read().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ControlStoreError);
      expect((error as Error).message).toMatch(/control-us-east-1.*control-us-east-2.*control-us-west-2/);
    } finally {
      await (control as FallbackControlStore).close();
      await (onlyDown as FallbackControlStore).close();
    }
  }, 60_000);
});
