import { DynamoDBServiceException } from "@aws-sdk/client-dynamodb";
import { StoreUnavailableError } from "./store.ts";

/**
 * Errors DynamoDB returns because the request itself is wrong (a bug, or an item over the
 * 400 KB limit): retrying will not help and the store is not "down", so they are not
 * reported as unavailable.
 */
const REQUEST_ERRORS = new Set(["ValidationException", "SerializationException"]);

export function isRequestError(error: unknown): boolean {
  return error instanceof DynamoDBServiceException && REQUEST_ERRORS.has(error.name);
}

/** "ECONNREFUSED", "ResourceNotFoundException: Requested resource not found", ... */
export function describeAwsError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const prefix = typeof code === "string" && code !== error.name ? `${code} ` : "";
  return `${prefix}${error.name}: ${error.message || "(no message)"}`;
}

/**
 * What a failed call means for callers: a request error stays a plain Error (a bug to fix);
 * anything else (connection refused, timeout, throttling after retries, missing table,
 * rejected credentials) means the store cannot serve, which readiness reports as 503.
 */
export function toStoreError(error: unknown, what: string): Error {
  if (error instanceof StoreUnavailableError) return error;
  const detail = `${what}: ${describeAwsError(error)}`;
  if (isRequestError(error)) return new Error(`DynamoDB rejected ${detail}`, { cause: error });
  return new StoreUnavailableError(`DynamoDB unavailable: ${detail}`, { cause: error });
}
