import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { StaticCredentials } from "../../store/dynamodb-client.ts";
import type { SecretFetcher } from "./replication-key.ts";

export interface SecretFetcherOptions {
  /** A Secrets Manager-compatible endpoint (moto in tests); unset means AWS. */
  endpoint?: string;
  credentials?: StaticCredentials;
  /** A named profile from ~/.aws/config (the environment's `aws.profile`). */
  profile?: string;
}

/**
 * Reads a replication key from AWS Secrets Manager by name or ARN (GetSecretValue), as a
 * string secret. Called once at start-up; a region that cannot read its key does not start.
 */
export function secretsManagerFetcher(options: SecretFetcherOptions = {}): SecretFetcher {
  return async function fetchSecret(secretId, awsRegion) {
    const client = new SecretsManagerClient({
      region: awsRegion,
      ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
      ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
      ...(options.profile !== undefined ? { profile: options.profile } : {}),
      maxAttempts: 3,
    });
    try {
      const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
      if (out.SecretString === undefined) throw new Error("the secret has no string value (SecretString)");
      return out.SecretString;
    } finally {
      client.destroy();
    }
  };
}
