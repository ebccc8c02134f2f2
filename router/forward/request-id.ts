import { ulid } from "ulid";
import type { Clock } from "../../core/clock.ts";
import type { Random } from "../../core/random.ts";

/** A caller's id is kept if it is short and plain (it ends up in logs and headers). */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The request id forwarded upstream as `x-request-id` and echoed to the client: the caller's if
 * acceptable, else a ULID from the injected clock and random source (reproducible in simulation).
 */
export function requestIdFor(incoming: string | null, clock: Clock, random: Random): string {
  if (incoming !== null && ACCEPTABLE_ID.test(incoming)) return incoming;
  return ulid(clock.nowMs(), () => random.next());
}
