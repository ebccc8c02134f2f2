import { ConfigError } from "../../../config/config-error.ts";
import type { EnvironmentConfig } from "../../../config/schema.ts";

/**
 * The shared secret both regions sign and verify region-to-region requests with.
 *
 * Development, the tests, the live stack and the simulator use a fixed, public key (their
 * listeners are on loopback or in-process); staging and production refuse to start without a
 * real one, from the environment variable `replicationAuth.keyEnv` names or from AWS Secrets
 * Manager (`replicationAuth.keySecretId`, replication-key-secret.ts).
 */
export const DEVELOPMENT_REPLICATION_KEY = new TextEncoder().encode(
  "failover-development-replication-key-not-a-secret",
);

/** HMAC-SHA256 keys shorter than the hash's 32-byte output weaken it (RFC 2104 §3). */
export const REPLICATION_KEY_BYTES_MIN = 32;

export type SecretFetcher = (secretId: string, awsRegion: string) => Promise<string>;

export interface KeySources {
  env: NodeJS.ProcessEnv;
  /** Reads a secret's string value (replication-key-secret.ts); only called when configured. */
  fetchSecret?: SecretFetcher;
  /** The region's AWS region, where the secret lives. */
  awsRegion: string;
}

/** Resolves the key, or throws ConfigError naming the variable and field to set. */
export async function resolveReplicationKey(
  config: EnvironmentConfig,
  sources: KeySources,
): Promise<Uint8Array> {
  const auth = config.replicationAuth;
  const file = `regions/environments/${config.name}.json`;
  const fromEnv = sources.env[auth.keyEnv];
  if (fromEnv !== undefined && fromEnv !== "") return checked(fromEnv, `$${auth.keyEnv}`, file);
  if (auth.keySecretId !== undefined) {
    if (!sources.fetchSecret)
      throw new Error("no Secrets Manager client to fetch replicationAuth.keySecretId");
    let value: string;
    try {
      value = await sources.fetchSecret(auth.keySecretId, sources.awsRegion);
    } catch (error) {
      throw new ConfigError([
        {
          file,
          field: "replicationAuth.keySecretId",
          reason: `cannot read secret "${auth.keySecretId}" in ${sources.awsRegion}: ${(error as Error).message}`,
        },
      ]);
    }
    return checked(value, `secret ${auth.keySecretId}`, file);
  }
  if (config.name === "development") return DEVELOPMENT_REPLICATION_KEY;
  throw new ConfigError([
    {
      file,
      field: "replicationAuth",
      reason:
        `no replication key: ${config.name} refuses to start without one; set $${auth.keyEnv} ` +
        `(at least ${REPLICATION_KEY_BYTES_MIN} bytes) or replicationAuth.keySecretId (an AWS Secrets Manager secret)`,
    },
  ]);
}

/** The live stack's key (loopback only): $FAILOVER_REPLICATION_KEY when it is long enough, else the development key. */
export function liveStackReplicationKey(env: NodeJS.ProcessEnv): Uint8Array {
  const key = new TextEncoder().encode(env.FAILOVER_REPLICATION_KEY ?? "");
  return key.length >= REPLICATION_KEY_BYTES_MIN ? key : DEVELOPMENT_REPLICATION_KEY;
}

function checked(value: string, source: string, file: string): Uint8Array {
  const key = new TextEncoder().encode(value);
  if (key.length >= REPLICATION_KEY_BYTES_MIN) return key;
  throw new ConfigError([
    {
      file,
      field: "replicationAuth",
      reason: `the replication key from ${source} is ${key.length} bytes; it needs at least ${REPLICATION_KEY_BYTES_MIN}`,
    },
  ]);
}
