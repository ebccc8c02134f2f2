import type { MiddlewareHandler } from "hono";
import { jsonError } from "../../../core/http-errors.ts";
import type { ReplayGuard } from "./replay-guard.ts";
import { SIGNATURE_HEADERS, signatureMatches } from "./sign-request.ts";

export interface RequireSignatureOptions {
  key: Uint8Array;
  guard: ReplayGuard;
  /** The only sender this region accepts region-to-region requests from: its peer. */
  peerName: string;
}

/**
 * Refuses any region-to-region request that is not signed by the peer with the shared key,
 * is outside the replay window, or repeats a nonce: JSON 401, before the body reaches a
 * handler, so nothing in the store changes. The signed epoch is left in the request headers
 * for the handler to hold the body to (replication-routes.ts).
 */
export function requireSignature(options: RequireSignatureOptions): MiddlewareHandler {
  return async function requireSignature(c, next) {
    const header = (name: string) => c.req.header(name);
    const from = header(SIGNATURE_HEADERS.from);
    const timestamp = header(SIGNATURE_HEADERS.timestamp);
    const epoch = header(SIGNATURE_HEADERS.epoch);
    const nonce = header(SIGNATURE_HEADERS.nonce);
    const presented = header(SIGNATURE_HEADERS.signature);
    if (!from || !timestamp || !epoch || !nonce || !presented) {
      const names = Object.values(SIGNATURE_HEADERS).join(", ");
      return unauthorized(c, "missing_signature", `region-to-region requests must be signed (${names})`);
    }
    if (!/^\d{1,16}$/.test(timestamp) || !/^\d{1,16}$/.test(epoch) || nonce.length > 200) {
      return unauthorized(c, "bad_signature", "malformed signature headers");
    }
    if (from !== options.peerName) {
      return unauthorized(c, "bad_signature", `only ${options.peerName} may call this listener`);
    }
    // As text: Hono caches it, and the handler parses that same text (a second read of another
    // kind would rebuild a Response around the body). A body that is not UTF-8 decodes to other
    // bytes than were signed, and is refused as a bad signature.
    const body = await c.req.text();
    const parts = {
      method: c.req.method,
      path: c.req.path,
      body,
      from,
      timestampMs: Number(timestamp),
      epoch: Number(epoch),
      nonce,
    };
    if (!signatureMatches(options.key, parts, presented)) {
      return unauthorized(c, "bad_signature", "the signature does not match this request and key");
    }
    const verdict = options.guard.admit(from, nonce, parts.timestampMs);
    if (verdict === "stale") {
      return unauthorized(c, "stale_signature", "the signed timestamp is outside the replay window");
    }
    if (verdict === "replayed") return unauthorized(c, "replayed", "this request was already received");
    await next();
  };
}

function unauthorized(c: Parameters<MiddlewareHandler>[0], error: string, detail: string): Response {
  c.header("www-authenticate", 'HMAC-SHA256 realm="failover-replication"');
  return jsonError(c, 401, error, detail);
}
