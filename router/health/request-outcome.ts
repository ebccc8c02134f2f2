import type { TransportErrorKind } from "../../core/transport.ts";

/**
 * What one forwarded request says about the region's health (issue 13 (docs/issues.md)):
 * - "no_answer": the region could not be reached or did not answer (refused, reset, connect
 *   timeout, response timeout). Only the region can cause these, so they count in a row.
 * - "error_answer": the region answered 5xx. That may be the region failing or one request it
 *   could not handle (a body it chokes on), so it counts only through the error-rate rule,
 *   which needs a minimum volume from several distinct clients (Envoy's failure-percentage
 *   ejection, docs/envoy-outlier-detection.md).
 * - "ok": anything else, 4xx included: the request's own fault, evidence the region is up.
 * - "ignored": says nothing about the region (the router or the client gave up, or the
 *   transport refused the request before sending it).
 */
export type RequestOutcome = "ok" | "no_answer" | "error_answer" | "ignored";

const NO_ANSWER: ReadonlySet<TransportErrorKind> = new Set([
  "refused",
  "reset",
  "connect_timeout",
  "timeout",
]);

/** A transport failure: aborted and unknown ones (a method or header undici refuses) are not the region's. */
export function outcomeOfFailure(kind: TransportErrorKind): RequestOutcome {
  return NO_ANSWER.has(kind) ? "no_answer" : "ignored";
}

/**
 * An answer's status. 501 Not Implemented and 505 HTTP Version Not Supported describe the
 * request (RFC 9110 §15.6.2, §15.6.6), not the region's health; `healthyRefusal` marks the
 * fencing contract's deliberate 503/409 (see forward/contract-refusal.ts).
 */
export function outcomeOfStatus(status: number, healthyRefusal = false): RequestOutcome {
  if (status < 500 || healthyRefusal || status === 501 || status === 505) return "ok";
  return "error_answer";
}
