import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { jsonError } from "../../core/http-errors.ts";
import type { Random } from "../../core/random.ts";
import { authorityOf, pathAndQueryOf } from "../region-url.ts";
import { chooseRoute, type Route } from "./choose-route.ts";
import { clientAddress, nodeRawHeaders } from "./client-address.ts";
import { type AttemptResult, type ForwardDeps, retryRoute, sendAttempt } from "./forward-attempt.ts";
import { type ForwardedRequest, forwardHeaders } from "./forward-request.ts";
import { clientResponse, discardRaw } from "./forward-response.ts";
import { isIdempotent, isRead } from "./idempotency.ts";
import { BodyTooLargeError, readBody } from "./read-body.ts";
import { FORWARD_PATH_KEY, judgeRequest } from "./request-guard.ts";
import { requestIdFor } from "./request-id.ts";
import { failureAnswer } from "./upstream-failure.ts";
import { tagWriteIdentity } from "./write-identity.ts";

export interface ProxyDeps extends ForwardDeps {
  random: Random;
}

/**
 * Forwards any request to the active region: at most two attempts (a retry or a redirect),
 * every failure answered with JSON {error, detail}, never a stack trace.
 */
export function proxyHandler(deps: ProxyDeps): (c: Context) => Promise<Response> {
  const { clock } = deps;
  // Not an async function: the commonest request (no body, control record loaded) gets
  // forward()'s own promise back, with no wrapper promise and no extra microtask turn (issue 18).
  // Whatever throws before that reaches the app's onError as a rejection would: Hono's dispatch
  // and core/direct-context.ts catch a handler's synchronous throw the same way.
  return function proxy(c: Context): Promise<Response> {
    const raw = c.req.raw;
    // Internal and ambiguous paths and unsupported methods are refused here (request-guard.ts).
    const verdict = judgeRequest(c, deps.metrics);
    if (verdict !== undefined && typeof verdict !== "string") return Promise.resolve(verdict);
    // undefined: a path the router serves itself, asked with a method it has no route for.
    const pathAndQuery =
      verdict ?? (c.get(FORWARD_PATH_KEY) as string | undefined) ?? pathAndQueryOf(raw.url);
    const requestId = requestIdFor(raw.headers.get("x-request-id"), clock, deps.random);
    // GET and HEAD carry no body: skip the read (and its await) on the router's commonest path.
    if (raw.method === "GET" || raw.method === "HEAD")
      return forwardRequest(deps, c, raw, pathAndQuery, requestId, undefined);
    return readThenForward(deps, c, raw, pathAndQuery, requestId);
  };
}

async function readThenForward(
  deps: ProxyDeps,
  c: Context,
  raw: Request,
  pathAndQuery: string,
  requestId: string,
): Promise<Response> {
  const body = await readClientBody(deps, c, requestId, raw);
  if (body instanceof Response) return body;
  return await forwardRequest(deps, c, raw, pathAndQuery, requestId, body);
}

/** The request as it goes upstream (headers, identity), then forward() once the control record is loaded. */
function forwardRequest(
  deps: ProxyDeps,
  c: Context,
  raw: Request,
  pathAndQuery: string,
  requestId: string,
  body: Uint8Array<ArrayBuffer> | undefined,
): Promise<Response> {
  const { coordinator, clock } = deps;
  const client = {
    requestId,
    address: clientAddress(c.env),
    host: raw.headers.get("host") ?? authorityOf(raw.url),
    proto: raw.url.startsWith("https:") ? ("https" as const) : ("http" as const),
  };
  const headers = forwardHeaders(raw.headers, client, nodeRawHeaders(c.env));
  tagWriteIdentity(headers, raw.method, deps.config, clock, deps.random);
  const forwarded = {
    method: raw.method,
    pathAndQuery,
    headers,
    body,
    client: client.address ?? "unknown",
  };
  if (!coordinator.currentRecord()) {
    return coordinator.ready().then(() => {
      deps.budget.recordRequest(clock.nowMs());
      return forward(deps, c, forwarded, requestId);
    });
  }
  deps.budget.recordRequest(clock.nowMs());
  return forward(deps, c, forwarded, requestId);
}

/** The request body (bounded by maxBodyBytes), or the 413/400 answer. */
async function readClientBody(
  deps: ProxyDeps,
  c: Context,
  requestId: string,
  raw: Request,
): Promise<Uint8Array<ArrayBuffer> | undefined | Response> {
  const limit = deps.config.maxBodyBytes;
  try {
    return await readBody(raw, limit);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      return answer(deps, c, requestId, {
        status: 413,
        error: "body_too_large",
        detail: `request body exceeds ${limit} bytes`,
      });
    }
    const detail = `could not read the request body: ${(error as Error).message}`;
    return answer(deps, c, requestId, { status: 400, error: "bad_request_body", detail });
  }
}

async function forward(
  deps: ProxyDeps,
  c: Context,
  forwarded: ForwardedRequest,
  requestId: string,
): Promise<Response> {
  const { config, coordinator } = deps;
  const method = forwarded.method;
  const write = !isRead(method);
  const idempotent = isIdempotent(method, forwarded.headers);
  let route = chooseRoute(config, coordinator, method);
  if (write && route.epoch === undefined) {
    const detail = `cannot read the control record (${coordinator.lastControlError() ?? "not loaded"}); writes need its epoch`;
    return answer(deps, c, requestId, {
      status: 503,
      error: "control_unavailable",
      detail,
      retryAfter: true,
    });
  }
  if (coordinator.isConfirming(route.region)) {
    // The region just refused or reset a connection and probes are confirming it: wait for the
    // verdict (at most one interval) rather than send into a region about to be replaced.
    await coordinator.settle(route.region, config.router.healthCheck.intervalMs);
    route = chooseRoute(config, coordinator, method);
  }
  let result = await sendAttempt(deps, forwarded, route, write);
  // An answer that is not a refusal is final: no second attempt to decide on.
  const final = result.kind === "response" && !result.refusal;
  const next = final ? undefined : await retryRoute(deps, result, route, method, idempotent);
  if (next) {
    if (result.kind === "response") discardRaw(result.response);
    route = next;
    result = await sendAttempt(deps, forwarded, route, write);
  }
  return finish(deps, c, result, route, requestId, method, idempotent);
}

function finish(
  deps: ProxyDeps,
  c: Context,
  result: AttemptResult,
  route: Route,
  requestId: string,
  method: string,
  idempotent: boolean,
): Response {
  if (result.kind === "response") {
    deps.metrics.countRequest(route.region, result.response.status);
    return clientResponse(result.response, { region: route.region, reason: route.reason, requestId });
  }
  const failure = failureAnswer(result.error, method, idempotent);
  const detail = result.budgetSpent ? `${failure.detail}; not retried: retry budget spent` : failure.detail;
  deps.logger.debug({ requestId, region: route.region, kind: result.error.kind }, "upstream attempt failed");
  c.header("x-served-by", route.region);
  return answer(deps, c, requestId, { ...failure, detail, retryAfter: true, region: route.region });
}

interface Answer {
  status: ContentfulStatusCode;
  error: string;
  detail: string;
  /** Add Retry-After (retryAfterS from the policy): the client may try again shortly. */
  retryAfter?: boolean;
  /** The region the failure is counted against in metrics; "none" when the router refused. */
  region?: string;
}

/** A JSON error from the router itself, with the request id, counted in metrics. */
function answer(deps: ProxyDeps, c: Context, requestId: string, a: Answer): Response {
  deps.metrics.countRequest(a.region ?? "none", a.status);
  c.header("x-request-id", requestId);
  if (a.retryAfter) c.header("retry-after", String(deps.config.router.retryAfterS));
  return jsonError(c, a.status, a.error, a.detail);
}
