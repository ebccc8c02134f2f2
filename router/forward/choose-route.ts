import type { EnvironmentConfig } from "../../config/schema.ts";
import type { FailoverCoordinator } from "../failover-coordinator.ts";
import type { ServedReason } from "./forward-response.ts";
import { isRead } from "./idempotency.ts";

export interface Route {
  region: string;
  reason: ServedReason;
  /** The epoch writes are tagged with; undefined before any control record was read. */
  epoch: number | undefined;
}

/**
 * Where a request goes now: the active region of the control record this router knows. With
 * standbyReads on, a read goes to a healthy standby while the active region is unhealthy but not
 * yet replaced (it may be stale by the replication lag, which is why it is opt-in).
 */
export function chooseRoute(
  config: EnvironmentConfig,
  coordinator: FailoverCoordinator,
  method: string,
): Route {
  const record = coordinator.currentRecord();
  if (!record) return { region: config.initialActive, reason: "no-control-record", epoch: undefined };
  const active = record.activeRegion;
  if (config.router.standbyReads && isRead(method) && coordinator.isUnhealthy(active)) {
    const standby = config.regions.find((r) => r.name !== active);
    if (standby && coordinator.isEligible(standby.name)) {
      return { region: standby.name, reason: "standby-read", epoch: record.epoch };
    }
  }
  return {
    region: active,
    reason: active === config.initialActive ? "active" : "failover",
    epoch: record.epoch,
  };
}
