import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { StoreConfig } from "../../config/schema.ts";

/** Static AWS credentials (the SDK's StaticCredentials, spelled out to avoid a transitive import). */
export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface DynamoDbClientOptions {
  /** The AWS region the tables live in (the region's `awsRegion`). */
  awsRegion: string;
  /** Explicit credentials; otherwise the default AWS chain (or dummy ones for a local endpoint). */
  credentials?: StaticCredentials;
  /** A named profile from ~/.aws/config (the environment's `aws.profile`). */
  profile?: string;
  /** Attempts per call, first try included. */
  maxAttempts?: number;
  connectTimeoutMs?: number;
  /** Whole request + response; without it the SDK waits forever on a hung connection. */
  requestTimeoutMs?: number;
  /** Where to look for AWS_* credentials (tests); defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

/**
 * DynamoDB answers in single-digit milliseconds in-region (AWS DynamoDB docs), so a second to
 * connect and three to answer already mean "unavailable"; readiness (/readyz) and writes must
 * fail fast rather than hang. The SDK default for both is 0 = no timeout.
 */
const DEFAULT_CONNECT_TIMEOUT_MS = 1000;
const DEFAULT_REQUEST_TIMEOUT_MS = 3000;
/** The SDK's standard retry mode default (3), with its exponential backoff and jitter. */
const DEFAULT_MAX_ATTEMPTS = 3;

/**
 * DynamoDB Local accepts any credentials but the SDK refuses to sign without some: a local
 * endpoint with nothing in the environment gets these, so it works out of the box.
 */
export const LOCAL_DUMMY_CREDENTIALS: StaticCredentials = { accessKeyId: "local", secretAccessKey: "local" };

export function createDynamoDbClient(store: StoreConfig, options: DynamoDbClientOptions): DynamoDBClient {
  const credentials = chooseCredentials(store, options);
  return new DynamoDBClient({
    region: options.awsRegion,
    ...(store.endpoint !== undefined ? { endpoint: store.endpoint } : {}),
    ...(credentials !== undefined ? { credentials } : {}),
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryMode: "standard",
    requestHandler: {
      connectionTimeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    },
  });
}

/**
 * Explicit credentials if given; the dummy ones for a loopback endpoint when nothing else
 * would supply any; otherwise undefined, which lets the SDK's default chain decide.
 */
export function chooseCredentials(
  store: StoreConfig,
  options: DynamoDbClientOptions,
): StaticCredentials | undefined {
  if (options.credentials !== undefined) return options.credentials;
  const local = store.endpoint !== undefined && isLoopbackUrl(store.endpoint);
  const configured = options.profile !== undefined || hasAwsCredentialsInEnv(options.env ?? process.env);
  return local && !configured ? LOCAL_DUMMY_CREDENTIALS : undefined;
}

export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function hasAwsCredentialsInEnv(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE || env.AWS_WEB_IDENTITY_TOKEN_FILE);
}
