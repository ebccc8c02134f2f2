import type { Context, MiddlewareHandler } from "hono";
import { jsonError } from "../../core/http-errors.ts";
import type { RouterMetrics } from "../metrics.ts";
import { pathAndQueryOf } from "../region-url.ts";
import { ALLOW_HEADER, refuseMethod } from "./method-policy.ts";
import { judgePath } from "./request-path.ts";

/** The context key under which the guard leaves the normalised path and query for the proxy. */
export const FORWARD_PATH_KEY = "forwardPathAndQuery";

/** Paths the router serves itself, in exactly this spelling (its admin API and its metrics). */
function servedByRouter(rawPath: string): boolean {
  return rawPath === "/metrics" || rawPath === "/_router" || rawPath.startsWith("/_router/");
}

/**
 * Judges a request before any route: answers unsupported methods (405/501) and paths that are
 * malformed, ambiguous (400) or internal in any spelling (404) itself, so none of them reach a
 * region or count as a region's failure (issue 13, docs/issues.md). Returns the refusal, or the normalised path
 * and query the proxy forwards (the region sees exactly the path the router judged), or
 * undefined for a path the router serves itself in exactly that spelling.
 */
export function judgeRequest(c: Context, metrics: RouterMetrics): Response | string | undefined {
  const method = c.req.raw.method;
  const refusal = refuseMethod(method);
  if (refusal) {
    if (refusal.status === 405) c.header("allow", ALLOW_HEADER);
    return refuse(c, metrics, refusal.status, refusal.error, refusal.detail);
  }
  // On Node the raw request target, before the URL parser resolved dot segments and
  // backslashes: the router judges what the client sent, not a parser's reading of it.
  const pathAndQuery = pathAndQueryOf(nodeRequestTarget(c.env) ?? c.req.raw.url);
  const verdict = judgePath(pathAndQuery);
  if (verdict.kind === "bad") return refuse(c, metrics, 400, "bad_path", verdict.detail);
  if (verdict.kind === "internal") {
    const q = pathAndQuery.indexOf("?");
    const rawPath = q === -1 ? pathAndQuery : pathAndQuery.slice(0, q);
    if (rawPath === verdict.path && servedByRouter(rawPath)) return undefined;
    return refuse(c, metrics, 404, "not_found", "this path is not served through the router");
  }
  return verdict.pathAndQuery;
}

/**
 * judgeRequest as middleware, for the router's own routes (/_router, /metrics). The proxy's
 * catch-all calls judgeRequest itself: with no middleware in front of it, Hono runs that one
 * handler directly instead of composing a chain for every forwarded request.
 */
export function requestGuard(metrics: RouterMetrics): MiddlewareHandler {
  return async function guard(c, next) {
    const verdict = judgeRequest(c, metrics);
    if (typeof verdict === "string") {
      c.set(FORWARD_PATH_KEY, verdict);
      return next();
    }
    return verdict ?? next();
  };
}

/** The request target as it came over the wire (@hono/node-server's `incoming.url`), on Node only. */
function nodeRequestTarget(env: unknown): string | undefined {
  return (env as { incoming?: { url?: string } } | undefined)?.incoming?.url;
}

function refuse(
  c: Context,
  metrics: RouterMetrics,
  status: 400 | 404 | 405 | 501,
  error: string,
  detail: string,
) {
  metrics.countRequest("none", status);
  return jsonError(c, status, error, detail);
}
