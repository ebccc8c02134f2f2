import { UpdateHealthCheckCommand } from "@aws-sdk/client-route-53";

/**
 * The only changes this tool ever sends to an existing health check.
 *
 * `disabled` can only be `false`. Route 53 treats a disabled health check as healthy
 * (UpdateHealthCheck API reference, Disabled: "Route 53 considers the status of the health
 * check to always be healthy"), so disabling the primary's check would pin traffic to it
 * during the very outage it should detect. Moving traffic on purpose uses `inverted`.
 */
export interface SafeHealthCheckUpdate {
  fqdn?: string;
  port?: number;
  resourcePath?: string;
  failureThreshold?: number;
  enableSni?: boolean;
  inverted?: boolean;
  disabled?: false;
}

export class UnsafeHealthCheckUpdateError extends Error {
  override name = "UnsafeHealthCheckUpdateError";
}

/**
 * Builds UpdateHealthCheck for `update`, with HealthCheckVersion so a concurrent edit by
 * someone else fails (HealthCheckVersionMismatch) instead of being silently overwritten.
 */
export function updateHealthCheckInput(
  id: string,
  version: number | undefined,
  update: SafeHealthCheckUpdate,
): UpdateHealthCheckCommand {
  // The type already forbids it; this catches casts and plain-JavaScript callers.
  if ((update as { disabled?: unknown }).disabled === true) {
    throw new UnsafeHealthCheckUpdateError(
      `refusing to disable health check ${id}: Route 53 counts a disabled check as healthy, so traffic would never fail over`,
    );
  }
  return new UpdateHealthCheckCommand({
    HealthCheckId: id,
    ...(version === undefined ? {} : { HealthCheckVersion: version }),
    ...(update.fqdn === undefined ? {} : { FullyQualifiedDomainName: update.fqdn }),
    ...(update.port === undefined ? {} : { Port: update.port }),
    ...(update.resourcePath === undefined ? {} : { ResourcePath: update.resourcePath }),
    ...(update.failureThreshold === undefined ? {} : { FailureThreshold: update.failureThreshold }),
    ...(update.enableSni === undefined ? {} : { EnableSNI: update.enableSni }),
    ...(update.inverted === undefined ? {} : { Inverted: update.inverted }),
    ...(update.disabled === undefined ? {} : { Disabled: false }),
  });
}
