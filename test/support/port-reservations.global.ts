import { sweepStaleReservations } from "../../core/free-port.ts";

/**
 * vitest global setup: remove the port reservations (core/free-port.ts) of processes that have
 * died, before the run and after it. Workers are stopped with a signal, so their own exit hooks
 * never run; those still stopping at the teardown are swept by scripts/test-all.sh once vitest
 * has exited, or by the next run.
 */
export default function setup(): () => void {
  sweepStaleReservations();
  return () => sweepStaleReservations();
}
