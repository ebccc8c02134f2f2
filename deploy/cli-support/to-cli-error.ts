import { ConfigError } from "../../config/config-error.ts";
import { CliError, UsageError } from "../../core/cli-error.ts";
import { TableSchemaMismatchError } from "../../regions/store/dynamodb-tables.ts";
import { UnsafeHealthCheckUpdateError } from "../aws/health-check-update.ts";
import { DeployError } from "../deploy-error.ts";

/**
 * Deploy and DNS errors as the CLI prints them: one message, non-zero exit, no stack trace.
 * AWS service errors keep their name (AccessDenied, HealthCheckVersionMismatch, ...) because
 * that is what an operator searches for.
 */
export function toCliError(error: unknown): unknown {
  if (error instanceof CliError || error instanceof ConfigError) return error;
  if (error instanceof DeployError)
    return error.kind === "usage" ? new UsageError(error.message) : new CliError(error.message);
  if (error instanceof UnsafeHealthCheckUpdateError) return new CliError(error.message);
  if (error instanceof TableSchemaMismatchError) return new CliError(error.message);
  if (
    error instanceof Error &&
    /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|socket hang up|TimeoutError/i.test(
      `${error.name} ${error.message}`,
    )
  ) {
    return new CliError(
      `cannot reach the AWS endpoint: ${error.message} (check the network, or the FAILOVER_*_ENDPOINT variables)`,
    );
  }
  if (isAwsServiceError(error)) {
    const status = error.$metadata?.httpStatusCode;
    return new CliError(
      `AWS refused the request: ${error.name}${status ? ` (HTTP ${status})` : ""}: ${error.message}`,
    );
  }
  return error;
}

function isAwsServiceError(error: unknown): error is Error & { $metadata?: { httpStatusCode?: number } } {
  return error instanceof Error && typeof (error as { $metadata?: unknown }).$metadata === "object";
}
