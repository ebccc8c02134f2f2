import { z } from "zod";
import { type ControlPlacement, controlPlaneProblems, controlPlaneSchema } from "./control-plane-schema.ts";
import { awsSchema, dnsSchema } from "./dns-schema.ts";
import { routerDeploySchema } from "./router-deploy-schema.ts";
import { routerPolicySchema } from "./router-policy-schema.ts";

/** DynamoDB's 400 KB item limit, less room for the log row's other attributes. */
export const DYNAMODB_BODY_BYTES_MAX = 350 * 1024;

export const ENV_NAMES = ["development", "staging", "production"] as const;
export type EnvName = (typeof ENV_NAMES)[number];

const regionNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,30}$/, "must be lower-case letters, digits and dashes, e.g. prod-us");

export const regionSchema = z
  .object({
    name: regionNameSchema,
    /** A location in the latency tables, e.g. "virginia", "ireland". */
    location: z.string().regex(/^[a-z][a-z0-9-]*$/, "must be a lower-case location id, e.g. virginia"),
    /** The AWS region the service runs in, e.g. us-east-1. */
    awsRegion: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "must be an AWS region id, e.g. us-east-1"),
    /** Where the router reaches this region's service. */
    endpoint: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
    /** The public endpoint DNS health checks probe (defaults to endpoint). */
    publicEndpoint: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
    /**
     * Where the peer region reaches this region's replication listener (/_replication/*): a
     * listener of its own, never the client-facing one (regions/service/replication-listener.ts).
     */
    replicationEndpoint: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
  })
  .strict();

export const storeSchema = z
  .object({
    kind: z.enum(["memory", "dynamodb"]).default("memory"),
    /** Tables are `${tablePrefix}-${region}-items` and `${tablePrefix}-${region}-meta`. */
    tablePrefix: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{3,100}$/, "must be 3-100 of A-Z a-z 0-9 _ . -")
      .default("failover"),
    /** A DynamoDB-compatible endpoint (e.g. DynamoDB Local); unset means AWS. */
    endpoint: z.url().optional(),
  })
  .strict();

export const replicationSchema = z
  .object({
    /** async: acknowledge before the standby has the write (may lose the last writes on region loss). */
    mode: z.enum(["async", "sync"]).default("async"),
    /** How often the active region ships its log to the standby when idle. */
    intervalMs: z.number().int().min(1).max(60_000).default(100),
    /** Most log entries per shipment. */
    batchMax: z.number().int().min(1).max(10_000).default(500),
    /** Sync mode: how long a write waits for the standby before the fallback below applies. */
    syncTimeoutMs: z.number().int().min(10).max(60_000).default(2000),
    /**
     * Sync mode, standby unreachable (e.g. after a failover, the old active is gone):
     * degrade-to-async acknowledges writes without the standby until it has caught up again,
     * as MySQL semi-synchronous replication falls back after rpl_semi_sync_master_timeout;
     * refuse-writes answers 503 instead (no write is ever held by one region only).
     */
    onStandbyUnreachable: z.enum(["degrade-to-async", "refuse-writes"]).default("degrade-to-async"),
    /**
     * Sync mode: when readers may see a write. after-sync: only once the standby holds it
     * (MySQL's AFTER_SYNC; reads wait for it, see regions/service/read-visibility.ts), so no
     * reader sees a value a failover can take back. after-commit: as soon as the active stores
     * it (MySQL's older AFTER_COMMIT): faster reads, not linearizable across a failover.
     */
    syncWaitPoint: z.enum(["after-sync", "after-commit"]).default("after-sync"),
  })
  .strict();

/** How region-to-region requests are authenticated (regions/replication/auth/). */
export const replicationAuthSchema = z
  .object({
    /** The environment variable holding the shared HMAC key (at least 32 bytes). */
    keyEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, "must be an environment variable name")
      .default("FAILOVER_REPLICATION_KEY"),
    /** Else: an AWS Secrets Manager secret (name or ARN) whose string value is the key. */
    keySecretId: z.string().min(1).max(2048).optional(),
    /** A signed request older or newer than this (by the receiver's clock), in ms, is refused. */
    windowMs: z.number().int().min(1000).max(600_000).default(30_000),
  })
  .strict();

/**
 * What one write may hold, checked at the write gate before anything is stored (JSON 400
 * naming the limit), so every acknowledged write can also be replicated, stored and read back.
 */
export const writeLimitsSchema = z
  .object({
    /** Nesting of objects and arrays in the request body, the body itself being level 1. */
    jsonDepthMax: z.number().int().min(2).max(1000).default(32),
    /** Object members in the whole body, counted at every level. */
    jsonKeysMax: z.number().int().min(1).max(1_000_000).default(10_000),
    /** Longest string (key or value), in UTF-8 bytes. */
    jsonStringBytesMax: z
      .number()
      .int()
      .min(1)
      .max(16 * 1024 * 1024)
      .default(64 * 1024),
  })
  .strict();

const environmentObjectSchema = z
  .object({
    name: z.enum(ENV_NAMES),
    /** The region active when no control record exists yet. */
    initialActive: regionNameSchema,
    regions: z.array(regionSchema).length(2, "active/standby needs exactly two regions"),
    store: storeSchema.default(() => storeSchema.parse({})),
    replication: replicationSchema.default(() => replicationSchema.parse({})),
    router: routerPolicySchema.default(() => routerPolicySchema.parse({})),
    /** Where the control record lives (its replicas) and the regions' lease on it. */
    control: controlPlaneSchema.default(() => controlPlaneSchema.parse({})),
    replicationAuth: replicationAuthSchema.default(() => replicationAuthSchema.parse({})),
    writeLimits: writeLimitsSchema.default(() => writeLimitsSchema.parse({})),
    /** Largest request body the services accept. */
    maxBodyBytes: z
      .number()
      .int()
      .min(1024)
      .max(16 * 1024 * 1024)
      .default(DYNAMODB_BODY_BYTES_MAX),
    dns: dnsSchema.optional(),
    aws: awsSchema.optional(),
    /** The router deployed to each region by `failover deploy` (deploy/README.md). */
    routerDeploy: routerDeploySchema.optional(),
  })
  .strict()
  .strict();

export const environmentSchema = environmentObjectSchema.superRefine((env, ctx) => {
  for (const p of crossFieldProblems(env)) ctx.addIssue({ code: "custom", path: p.path, message: p.message });
});

/**
 * Checks that span fields. Run on the raw input even when the schema fails elsewhere, so a
 * user sees every problem in one pass rather than one per edit.
 */
export function crossFieldProblems(raw: unknown): { path: (string | number)[]; message: string }[] {
  if (raw === null || typeof raw !== "object") return [];
  const env = raw as { initialActive?: unknown; regions?: unknown };
  if (!Array.isArray(env.regions)) return [];
  const names = env.regions.map((r) =>
    r && typeof r === "object" ? (r as { name?: unknown }).name : undefined,
  );
  const problems: { path: (string | number)[]; message: string }[] = [];
  names.forEach((name, i) => {
    if (typeof name === "string" && names.indexOf(name) !== i) {
      problems.push({ path: ["regions", i, "name"], message: `duplicate region name "${name}"` });
    }
  });
  const store = (raw as { store?: { kind?: unknown } }).store;
  const maxBodyBytes = (raw as { maxBodyBytes?: unknown }).maxBodyBytes;
  if (
    store?.kind === "dynamodb" &&
    typeof maxBodyBytes === "number" &&
    maxBodyBytes > DYNAMODB_BODY_BYTES_MAX
  ) {
    problems.push({
      path: ["maxBodyBytes"],
      message: `at most ${DYNAMODB_BODY_BYTES_MAX} with the dynamodb store (DynamoDB items are capped at 400 KB, and the log row holds the whole item)`,
    });
  }
  if (typeof env.initialActive === "string" && names.length > 0 && !names.includes(env.initialActive)) {
    problems.push({
      path: ["initialActive"],
      message: `"${env.initialActive}" is not one of the regions (${names.join(", ")})`,
    });
  }
  problems.push(...controlPlaneProblems(raw as Parameters<typeof controlPlaneProblems>[0]));
  return problems;
}

/**
 * The control record's replicas as configured, or by default one replica in the initialActive
 * region (a single-region table: `config validate` refuses that for production).
 */
export function controlReplicas(config: EnvironmentConfig): ControlPlacement[] {
  if (config.control.replicas !== undefined) return config.control.replicas;
  const home = config.regions.find((r) => r.name === config.initialActive) ?? config.regions[0];
  return home ? [{ awsRegion: home.awsRegion, location: home.location }] : [];
}

/**
 * The synchronous standby a bootstrap control record names: in sync mode the region that is not
 * initially active (both stores are empty, so it holds every acknowledged write); else none.
 */
export function bootstrapSyncStandby(config: EnvironmentConfig): string | null {
  if (config.replication.mode !== "sync") return null;
  return config.regions.find((r) => r.name !== config.initialActive)?.name ?? null;
}

export type EnvironmentConfig = z.infer<typeof environmentSchema>;
export type RegionConfig = z.infer<typeof regionSchema>;
export type ReplicationConfig = z.infer<typeof replicationSchema>;
export type StoreConfig = z.infer<typeof storeSchema>;
export type WriteLimits = z.infer<typeof writeLimitsSchema>;
