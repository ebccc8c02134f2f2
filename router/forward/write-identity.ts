import { ulid } from "ulid";
import type { EnvironmentConfig } from "../../config/schema.ts";
import type { Clock } from "../../core/clock.ts";
import type { Random } from "../../core/random.ts";

/**
 * The header that names one client write across its attempts (regions/service/write-identity.ts
 * reads it): a PUT or DELETE retried on the new active region after a failover is not applied
 * again if its first attempt got there by replication, so an overwritten value never comes back
 * and a value written since is never deleted (issue 19 (docs/issues.md)).
 */
export const WRITE_ID_HEADER = "x-failover-write-id";

/**
 * Sets a fresh write id on a PUT or DELETE in sync mode (the same headers go out on both attempts), and
 * drops any a client sent: only the router names writes, or a client could make the region skip
 * a write. Async mode is left as it was: there a failover may lose acknowledged writes anyway,
 * and the region would keep one key per PUT for nothing. The id is a ULID from the injected
 * clock and seeded random source, so simulated runs stay reproducible.
 */
export function tagWriteIdentity(
  headers: Record<string, string>,
  method: string,
  config: EnvironmentConfig,
  clock: Clock,
  random: Random,
): void {
  delete headers[WRITE_ID_HEADER];
  if ((method !== "PUT" && method !== "DELETE") || config.replication.mode !== "sync") return;
  headers[WRITE_ID_HEADER] = ulid(clock.nowMs(), () => random.next());
}
