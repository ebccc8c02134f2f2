import type { Logger } from "pino";
import { afterEach, beforeEach } from "vitest";
import { type EnvironmentConfig, environmentSchema } from "../../config/schema.ts";
import { ManualClock } from "../../core/clock.ts";
import { type ControlStore, ControlStoreError, MemoryControlStore } from "../../core/control.ts";
import { inProcessTransport } from "../../core/in-process-transport.ts";
import { seededRandom } from "../../core/random.ts";
import { DEVELOPMENT_REPLICATION_KEY } from "../../regions/replication/auth/replication-key.ts";
import { signatureHeaders } from "../../regions/replication/auth/sign-request.ts";
import { REPLICATION_PATH } from "../../regions/replication/protocol.ts";
import { createRegionService, type RegionService } from "../../regions/service/region-service.ts";
import { MemoryStore } from "../../regions/store/memory-store.ts";

/** A production-shaped environment for tests, with overrides. */
export function testEnvironment(overrides: Record<string, unknown> = {}): EnvironmentConfig {
  return environmentSchema.parse({
    name: "production",
    initialActive: "prod-us",
    regions: [
      { name: "prod-us", location: "virginia", awsRegion: "us-east-1", endpoint: "http://127.0.0.1:1" },
      { name: "prod-ie", location: "ireland", awsRegion: "eu-west-1", endpoint: "http://127.0.0.1:2" },
    ],
    maxBodyBytes: 2048,
    control: {
      replicas: [
        { awsRegion: "us-east-1", location: "virginia" },
        { awsRegion: "us-east-2", location: "ohio" },
        { awsRegion: "us-west-2", location: "oregon" },
      ],
    },
    ...overrides,
  });
}

export interface RegionPair {
  clock: ManualClock;
  control: MemoryControlStore;
  stores: { us: MemoryStore; ie: MemoryStore };
  us: RegionService;
  ie: RegionService;
  /** Regions the transport refuses to reach (a dead region). */
  down: Set<string>;
  /** Regions cut off from the control plane: their reads and writes of the record fail. */
  controlCut: Set<string>;
  stop(): Promise<void>;
}

export interface RegionPairOptions {
  logger?: Logger;
  /** Each region's replication key (default: the development key for both). */
  keys?: { us?: Uint8Array; ie?: Uint8Array };
  stores?: { us?: MemoryStore; ie?: MemoryStore };
}

/** prod-us and prod-ie in process: memory stores, one control record, a manual clock. */
export function regionPair(
  config: EnvironmentConfig = testEnvironment(),
  options: RegionPairOptions = {},
): RegionPair {
  const clock = new ManualClock(1_700_000_000_000);
  const control = new MemoryControlStore();
  const stores = { us: options.stores?.us ?? new MemoryStore(), ie: options.stores?.ie ?? new MemoryStore() };
  const targets = new Map<string, RegionService["app"]>();
  const down = new Set<string>();
  const transport = inProcessTransport(targets, down);
  const controlCut = new Set<string>();
  const make = (regionName: string, store: MemoryStore, seed: number, replicationKey?: Uint8Array) =>
    createRegionService({
      config,
      regionName,
      store,
      control: cuttableControl(control, () => controlCut.has(regionName)),
      clock,
      transport,
      random: seededRandom(seed),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(replicationKey ? { replicationKey } : {}),
    });
  const us = make("prod-us", stores.us, 1, options.keys?.us);
  const ie = make("prod-ie", stores.ie, 2, options.keys?.ie);
  // The transport carries replication only: it reaches each region's replication listener.
  targets.set("prod-us", us.replicationApp);
  targets.set("prod-ie", ie.replicationApp);
  us.start();
  ie.start();
  return {
    clock,
    control,
    stores,
    us,
    ie,
    down,
    controlCut,
    stop: async () => {
      await us.stop();
      await ie.stop();
    },
  };
}

/**
 * Headers signing `body` as `from` would (the fixed development key unless `key` is given), on
 * the pair's clock: what the peer's replicator sends with a batch.
 */
export function signedBatchHeaders(
  clock: ManualClock,
  body: string,
  options: { from?: string; epoch?: number; nonce?: string; key?: Uint8Array; timestampMs?: number } = {},
): Record<string, string> {
  signedCount += 1;
  return signatureHeaders(options.key ?? DEVELOPMENT_REPLICATION_KEY, {
    method: "POST",
    path: REPLICATION_PATH,
    body,
    from: options.from ?? "prod-us",
    timestampMs: options.timestampMs ?? clock.nowMs(),
    epoch: options.epoch ?? (JSON.parse(body) as { epoch: number }).epoch,
    nonce: options.nonce ?? `test-${signedCount}`,
  });
}
let signedCount = 0;

/** POSTs a replication batch to `service`'s replication listener, signed unless `signed` is false. */
export function sendBatch(
  pair: RegionPair,
  service: RegionService,
  batch: unknown,
  sign: Parameters<typeof signedBatchHeaders>[2] | false = {},
): Promise<Response> {
  const body = JSON.stringify(batch);
  const headers = sign === false ? {} : signedBatchHeaders(pair.clock, body, sign);
  return Promise.resolve(service.replicationApp.request(REPLICATION_PATH, postJson(body, headers)));
}

export function postJson(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  };
}

/**
 * Awaits `work` while moving the manual clock forward in steps, so work that waits on the clock
 * (a promoted region waiting out its predecessor's lease) can finish. Fails after `maxMs`.
 */
export async function withClock(
  clock: ManualClock,
  work: Response | Promise<Response>,
  stepMs = 50,
  maxMs = 10_000,
): Promise<Response> {
  let done = false;
  const tracked = Promise.resolve(work).finally(() => {
    done = true;
  });
  for (let elapsedMs = 0; !done; elapsedMs += stepMs) {
    if (elapsedMs >= maxMs) throw new Error(`still waiting after ${maxMs} virtual ms`);
    await clock.advance(stepMs);
  }
  return tracked;
}

/** One lease renewal interval of the test environment (regions re-read the control record). */
export const RENEW_INTERVAL_MS = 500;

/** One region's way to the shared control record, which fails while `cut()` says so. */
function cuttableControl(control: ControlStore, cut: () => boolean): ControlStore {
  const guard = () => {
    if (cut()) throw new ControlStoreError("control plane unreachable from this region");
  };
  return {
    read: async () => {
      guard();
      return control.read();
    },
    compareAndSet: async (expected, next, sync) => {
      guard();
      return control.compareAndSet(expected, next, sync);
    },
    setSyncStandby: async (expected, next) => {
      guard();
      return control.setSyncStandby(expected, next);
    },
  };
}

/**
 * A pair replicating synchronously (500 ms timeout; `replication` adds to or overrides that),
 * ready, whose standby prod-ie has then gone down: its connections are refused.
 */
export async function syncPairStandbyDown(replication: Record<string, unknown> = {}): Promise<RegionPair> {
  const pair = regionPair(
    testEnvironment({ replication: { mode: "sync", syncTimeoutMs: 500, ...replication } }),
  );
  await pair.us.app.request("/readyz");
  pair.down.add("prod-ie");
  return pair;
}

/**
 * The setup the region tests share: a fresh default pair before each test of the calling file,
 * stopped after it. What it returns stands for the running test's pair (its properties are read
 * from that pair when used), so a file declares `const pair = regionPairEachTest()` once.
 */
export function regionPairEachTest(): RegionPair {
  let current: RegionPair | undefined;
  beforeEach(() => {
    current = regionPair();
  });
  afterEach(async () => {
    await current?.stop();
    current = undefined;
  });
  return new Proxy({} as RegionPair, {
    get(_, key) {
      if (current === undefined) throw new Error("the region pair exists only while a test runs");
      return Reflect.get(current, key);
    },
  });
}
