import { createHash, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { jsonError } from "../../core/http-errors.ts";

/**
 * Bearer-token guard for the admin API. Tokens are compared as SHA-256 digests with
 * timingSafeEqual: equal-length inputs (timingSafeEqual throws otherwise) and no early exit that
 * would leak, byte by byte, how much of a guess was right. 401 without a token, 403 with a wrong one.
 */
export function bearerAuth(expectedToken: string | undefined): MiddlewareHandler {
  const expected = expectedToken ? digest(expectedToken) : undefined;
  return async function adminAuth(c, next) {
    const header = c.req.header("authorization");
    const match = header ? /^Bearer[ ]+(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1]) {
      c.header("www-authenticate", 'Bearer realm="failover-router"');
      return jsonError(c, 401, "unauthorized", "send Authorization: Bearer <admin token>");
    }
    if (!expected)
      return forbidden(c, "the admin API is disabled: start the router with FAILOVER_ADMIN_TOKEN set");
    if (!timingSafeEqual(digest(match[1]), expected)) return forbidden(c, "the admin token is wrong");
    await next();
  };
}

function forbidden(c: Context, detail: string): Response {
  return jsonError(c, 403, "forbidden", detail);
}

function digest(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}
