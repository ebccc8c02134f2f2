import type { TransportError } from "../../core/transport.ts";

export interface FailureAnswer {
  status: 502 | 503 | 504;
  error: string;
  detail: string;
}

/**
 * What the client is told when no region answered. 503 with Retry-After when the region could
 * not be reached or the connection broke (try again shortly: traffic is moving), 504 when it did
 * not answer in time, 502 for anything else that went wrong upstream.
 */
export function failureAnswer(error: TransportError, method: string, idempotent: boolean): FailureAnswer {
  const region = error.region;
  // TransportError messages start with the region; the details below name it once.
  const why = error.message.startsWith(`${region}: `)
    ? error.message.slice(region.length + 2)
    : error.message;
  switch (error.kind) {
    case "refused":
    case "connect_timeout":
      return { status: 503, error: "region_unreachable", detail: `could not connect to ${region}: ${why}` };
    case "reset":
      return {
        status: 503,
        error: "upstream_reset",
        detail: idempotent
          ? `the connection to ${region} broke before a response, and the retry failed too`
          : `the connection to ${region} broke before a response; a ${method} without Idempotency-Key is not retried because it may have been applied`,
      };
    case "timeout":
      return { status: 504, error: "upstream_timeout", detail: `${region} did not answer in time: ${why}` };
    case "aborted":
      return { status: 503, error: "request_aborted", detail: `the request to ${region} was aborted` };
    default:
      return { status: 502, error: "upstream_error", detail: `${region} failed: ${why}` };
  }
}
