import { sweepStaleReservations } from "../../core/free-port.ts";

/**
 * vitest global setup: after the run, remove the port reservations (core/free-port.ts) that the
 * test workers held; workers are stopped with a signal, so their own exit hooks do not run.
 */
export default function setup(): () => void {
  return () => sweepStaleReservations();
}
