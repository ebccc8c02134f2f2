import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { describe, expect, inject, it } from "vitest";
import { ConfigError } from "../../config/config-error.ts";
import { resolveReplicationKey } from "../../regions/replication/auth/replication-key.ts";
import { secretsManagerFetcher } from "../../regions/replication/auth/replication-key-secret.ts";
import type { Item } from "../../regions/store/store.ts";
import {
  postJson,
  regionPairEachTest,
  sendBatch,
  signedBatchHeaders,
  testEnvironment,
} from "../support/region-pair.ts";

const pair = regionPairEachTest();

/** prod-us writes `n` items and prod-ie catches up; returns prod-ie's items. */
async function replicatedItems(n: number): Promise<Item[]> {
  for (let i = 0; i < n; i++) {
    expect((await pair.us.app.request("/items", postJson({ data: { i } }))).status).toBe(201);
  }
  await pair.clock.advance(200);
  const items = await pair.stores.ie.listItems(undefined, 100);
  expect(items.length).toBe(n);
  return items;
}

const resyncFromZero = (epoch = 1) => ({
  from: "prod-us",
  epoch,
  senderHead: { seq: 0, epoch: 0 },
  prev: null,
  entries: [],
  resyncAfterSeq: 0,
});

describe("region-to-region requests are signed, replay-windowed, and refused with a JSON 401 otherwise", () => {
  const refusals: [string, () => Promise<Response>, string][] = [
    [
      "an unsigned resync (resyncAfterSeq: 0)",
      () => sendBatch(pair, pair.ie, resyncFromZero(), false),
      "missing_signature",
    ],
    [
      "a batch signed with another key",
      () => sendBatch(pair, pair.ie, resyncFromZero(), { key: new TextEncoder().encode("x".repeat(40)) }),
      "bad_signature",
    ],
    [
      "a batch whose timestamp is older than the window (30 s)",
      () => sendBatch(pair, pair.ie, resyncFromZero(), { timestampMs: pair.clock.nowMs() - 30_001 }),
      "stale_signature",
    ],
    [
      "a batch from the future beyond the window",
      () => sendBatch(pair, pair.ie, resyncFromZero(), { timestampMs: pair.clock.nowMs() + 30_001 }),
      "stale_signature",
    ],
    [
      "a batch signed for another epoch than the one in its body",
      () => sendBatch(pair, pair.ie, resyncFromZero(), { epoch: 7 }),
      "bad_signature",
    ],
    [
      "a batch signed by a region that is not the peer",
      () => sendBatch(pair, pair.ie, resyncFromZero(), { from: "prod-eu" }),
      "bad_signature",
    ],
    [
      "a signed body with one byte changed",
      async () => {
        const body = JSON.stringify(resyncFromZero());
        const headers = signedBatchHeaders(pair.clock, body);
        const tampered = body.replace('"resyncAfterSeq":0', '"resyncAfterSeq":1');
        return pair.ie.replicationApp.request("/_replication/entries", postJson(tampered, headers));
      },
      "bad_signature",
    ],
  ];

  it.each(refusals)("%s: 401 with a JSON body, the standby's items unchanged", async (_name, send, error) => {
    const before = await replicatedItems(3);
    const headBefore = await pair.stores.ie.head();
    const res = await send();
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(await res.json()).toMatchObject({ error });
    expect(await pair.stores.ie.listItems(undefined, 100)).toEqual(before);
    expect(await pair.stores.ie.head()).toEqual(headBefore);
  });

  it.each([
    ["not JSON", "{not json", "malformed_json"],
    ["not a batch", JSON.stringify({ epoch: 1, entries: "none" }), "invalid_batch"],
  ])("a signed body that is %s: 400 naming the problem, nothing applied", async (_name, body, error) => {
    const headBefore = await pair.stores.ie.head();
    const headers = signedBatchHeaders(pair.clock, body, { epoch: 1 });
    const res = await pair.ie.replicationApp.request("/_replication/entries", postJson(body, headers));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error });
    expect(await pair.stores.ie.head()).toEqual(headBefore);
  });

  it("a captured signed batch cannot be replayed inside the window to undo anything", async () => {
    await replicatedItems(2);
    // A signed resync, captured on the wire, applies once: prod-ie empties and is replayed to.
    const body = JSON.stringify(resyncFromZero());
    const captured = signedBatchHeaders(pair.clock, body);
    const first = await pair.ie.replicationApp.request("/_replication/entries", postJson(body, captured));
    expect(first.status).toBe(200);
    // The next write finds prod-ie's log short (a gap) and prod-us replays its whole log.
    expect((await pair.us.app.request("/items", postJson({ data: { i: 2 } }))).status).toBe(201);
    await pair.clock.advance(500);
    const caughtUp = await pair.stores.ie.listItems(undefined, 100);
    expect(caughtUp.length).toBe(3);

    await pair.clock.advance(5_000); // still inside the 30 s window
    const replay = await pair.ie.replicationApp.request("/_replication/entries", postJson(body, captured));
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ error: "replayed" });
    expect(await pair.stores.ie.listItems(undefined, 100)).toEqual(caughtUp);
  });

  it("a signed batch applies (the replicator's own batches do, end to end)", async () => {
    await replicatedItems(1);
    const entries = await pair.stores.us.readLog(0, 10);
    const signed = await sendBatch(pair, pair.ie, {
      from: "prod-us",
      epoch: 1,
      senderHead: await pair.stores.us.head(),
      prev: { seq: 0, epoch: 0 },
      entries,
    });
    expect(signed.status).toBe(200);
    expect(await signed.json()).toEqual({ ok: true, head: { seq: 1, epoch: 1 } });
  });
});

describe("the client-facing app has no region-to-region route", () => {
  const spellings = [
    "/_replication/entries",
    "/%5Freplication/entries",
    "/%5freplication/entries",
    "/%255Freplication/entries",
    "/_REPLICATION/entries",
    "/_Replication/Entries",
    "/_replication/%65ntries",
    "/_replication%2Fentries",
    "/_replication/./entries",
    "/items/../_replication/entries",
    "/items/%2E%2E/_replication/entries",
    "//_replication/entries",
    "/_replication;v=1/entries",
    "/_replication/entries;x",
    "/_replication/entries/",
    "/\\_replication/entries",
    "/_replication\\entries",
    "/_replication/entries?x=1",
  ];

  it.each(spellings)("POST %s (even signed) answers 404 and changes nothing", async (path) => {
    const before = await replicatedItems(2);
    const body = JSON.stringify(resyncFromZero());
    const res = await pair.ie.app.request(path, postJson(body, signedBatchHeaders(pair.clock, body)));
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: "not_found" });
    expect(await pair.stores.ie.listItems(undefined, 100)).toEqual(before);
  });
});

describe("the replication key", () => {
  const production = testEnvironment();

  it("production refuses to start without one, naming the variable and the field", async () => {
    const attempt = resolveReplicationKey(production, { env: {}, awsRegion: "us-east-1" });
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toThrow(
      /replicationAuth: no replication key.*\$FAILOVER_REPLICATION_KEY.*keySecretId/,
    );
  });

  it("refuses a key shorter than 32 bytes, and takes one from the environment", async () => {
    await expect(
      resolveReplicationKey(production, {
        env: { FAILOVER_REPLICATION_KEY: "short" },
        awsRegion: "us-east-1",
      }),
    ).rejects.toThrow(/5 bytes; it needs at least 32/);
    const key = await resolveReplicationKey(production, {
      env: { FAILOVER_REPLICATION_KEY: "k".repeat(32) },
      awsRegion: "us-east-1",
    });
    expect(new TextDecoder().decode(key)).toBe("k".repeat(32));
  });

  it("development uses the fixed development key", async () => {
    const dev = testEnvironment({ name: "development" });
    const key = await resolveReplicationKey(dev, { env: {}, awsRegion: "us-east-1" });
    expect(new TextDecoder().decode(key)).toMatch(/development/);
  });

  it("reads the key from AWS Secrets Manager by name (moto)", async () => {
    const endpoint = inject("motoEndpoint");
    const credentials = { accessKeyId: "testing", secretAccessKey: "testing" };
    const name = `failover/replication-${process.pid}-${Date.now()}`;
    const value = "s".repeat(48);
    const client = new SecretsManagerClient({ region: "eu-west-1", endpoint, credentials });
    await client.send(new CreateSecretCommand({ Name: name, SecretString: value }));
    client.destroy();
    const config = testEnvironment({ replicationAuth: { keySecretId: name } });
    const fetchSecret = secretsManagerFetcher({ endpoint, credentials });
    const key = await resolveReplicationKey(config, { env: {}, awsRegion: "eu-west-1", fetchSecret });
    expect(new TextDecoder().decode(key)).toBe(value);

    const missing = testEnvironment({ replicationAuth: { keySecretId: `${name}-missing` } });
    await expect(
      resolveReplicationKey(missing, { env: {}, awsRegion: "eu-west-1", fetchSecret }),
    ).rejects.toThrow(/replicationAuth.keySecretId: cannot read secret/);
  });
});
