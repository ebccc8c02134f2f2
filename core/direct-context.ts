import type { Context, Hono } from "hono";

/**
 * The part of a Hono `Context` the product's hot handlers use (the router's proxy, a region's
 * item read), built for one request at a fraction of the cost, so an app can run those
 * handlers without Hono's dispatch (`directFetch` below). Profiled on the real-code floor
 * (bench/real-code-floor.ts, issue 18): Hono's dispatch, its Context (a dozen closures per
 * request) and the undici Headers it builds as soon as a handler sets a header were ~30% of a
 * request's cost, twice per request (router app, then region app).
 *
 * It answers as Hono's Context does for what it implements (hono/dist/context.js: `header`
 * sets lower-cased names, `json` adds `content-type: application/json` unless given, the
 * status defaults to 200), with a plain record for headers instead of a Headers object.
 * test/core/direct-dispatch.test.ts holds the direct path to the Hono path, response by
 * response; anything it does not implement is not called on the direct path (a handler that
 * needs more stays on Hono).
 */
export class DirectContext {
  readonly req: DirectRequest;
  readonly env: unknown;
  #headers: Record<string, string> | undefined;
  #shared: boolean;
  #vars: Map<string, unknown> | undefined;

  /** `headers`: set on every response from the start (copied on the first change). */
  constructor(
    raw: Request,
    env: unknown,
    path: string,
    params?: Record<string, string>,
    headers?: Readonly<Record<string, string>>,
  ) {
    this.req = new DirectRequest(raw, path, params);
    this.env = env;
    this.#headers = headers as Record<string, string> | undefined;
    this.#shared = headers !== undefined;
  }

  header(name: string, value: string | undefined): void {
    const lower = name.toLowerCase();
    if (this.#shared) {
      this.#headers = { ...this.#headers };
      this.#shared = false;
    }
    if (value === undefined) {
      if (this.#headers) delete this.#headers[lower];
      return;
    }
    if (!this.#headers) this.#headers = {};
    this.#headers[lower] = value;
  }

  set(key: string, value: unknown): void {
    if (!this.#vars) this.#vars = new Map();
    this.#vars.set(key, value);
  }

  get(key: string): unknown {
    return this.#vars?.get(key);
  }

  json(object: unknown, status = 200, headers?: Record<string, string>): Response {
    const out: Record<string, string> = this.#headers ? { ...this.#headers } : {};
    if (headers) for (const name in headers) out[name.toLowerCase()] = headers[name]!;
    if (out["content-type"] === undefined) out["content-type"] = "application/json";
    return new Response(JSON.stringify(object), { status, headers: out });
  }

  body(
    data: string | Uint8Array<ArrayBuffer> | null,
    status = 200,
    headers?: Record<string, string>,
  ): Response {
    const out: Record<string, string> = this.#headers ? { ...this.#headers } : {};
    if (headers) for (const name in headers) out[name.toLowerCase()] = headers[name]!;
    return new Response(data, { status, headers: out });
  }

  /** For handlers typed for Hono: the direct path calls only what this class implements. */
  asContext(): Context {
    return this as unknown as Context;
  }
}

class DirectRequest {
  constructor(
    /** Replaced by Hono's bodyLimit when it had to read a body of unknown length. */
    public raw: Request,
    readonly path: string,
    private readonly params: Record<string, string> | undefined,
  ) {}

  get method(): string {
    return this.raw.method;
  }

  get url(): string {
    return this.raw.url;
  }

  header(name: string): string | undefined {
    return this.raw.headers.get(name) ?? undefined;
  }

  param(name: string): string | undefined {
    return this.params?.[name];
  }

  text(): Promise<string> {
    return this.raw.text();
  }
}

/**
 * The path Hono routes on (hono/dist/utils/url.js `getPath`: from the first `/` after the
 * scheme to `?` or `#`), or undefined when it holds a `%` (Hono decodes those before routing;
 * such requests take the Hono path).
 */
export function plainPath(url: string): string | undefined {
  const start = url.indexOf("/", url.indexOf(":") + 4);
  if (start === -1) return undefined;
  // Three native scans, not a loop over character codes: that loop was the floor's hottest
  // line (~3% of a request: every request's URL, twice; bench/real-code-floor.ts, issue 18).
  let end = url.indexOf("?", start);
  if (end === -1) end = url.length;
  const hash = url.indexOf("#", start);
  if (hash !== -1 && hash < end) end = hash;
  const percent = url.indexOf("%", start);
  if (percent !== -1 && percent < end) return undefined;
  return url.slice(start, end);
}

/** A handler the direct path runs, with the route parameters Hono would have matched. */
export interface DirectRoute {
  handler: (c: Context) => Response | Promise<Response>;
  params?: Record<string, string>;
}

/**
 * Picks the direct route for a request, or undefined to leave it to Hono. It must pick only
 * what Hono would route to that same handler (same method, same path match, no middleware in
 * between that the route does not also apply).
 */
export type PickDirectRoute = (method: string, path: string) => DirectRoute | undefined;

/** What the app's `onError` does (Hono calls it for an Error thrown or rejected by a handler). */
export type DirectErrorHandler = (error: Error, c: Context) => Response | Promise<Response>;

/**
 * Replaces `app.fetch` (the entry every server, test and the simulator calls, and what
 * `app.request` calls) with one that runs the routes `pick` chooses on a DirectContext and
 * hands everything else to Hono's own fetch, unchanged. `headers`: what the app's middleware
 * sets on every response, set on the direct path's responses from the start.
 */
export function directDispatch(
  // biome-ignore lint/suspicious/noExplicitAny: any Hono app's fetch has this shape
  app: { fetch: Hono<any>["fetch"] },
  pick: PickDirectRoute,
  onError: DirectErrorHandler,
  headers?: Readonly<Record<string, string>>,
): void {
  const honoFetch = app.fetch;
  honoFetches.set(app, honoFetch);
  app.fetch = (request, env, executionCtx) => {
    const path = plainPath(request.url);
    const route = path === undefined ? undefined : pick(request.method, path);
    if (route === undefined) return honoFetch(request, env, executionCtx);
    const c = new DirectContext(request, env, path!, route.params, headers).asContext();
    let answer: Response | Promise<Response>;
    try {
      answer = route.handler(c);
    } catch (error) {
      return handleError(error, c, onError);
    }
    return answer instanceof Promise ? answer.catch((error) => handleError(error, c, onError)) : answer;
  };
}

// biome-ignore lint/suspicious/noExplicitAny: any Hono app's fetch has this shape
const honoFetches = new WeakMap<object, Hono<any>["fetch"]>();

/**
 * The app's own Hono fetch, as it was before `directDispatch` (tests hold the direct path to
 * it); the app's fetch when it has no direct path.
 */
// biome-ignore lint/suspicious/noExplicitAny: any Hono app's fetch has this shape
export function honoFetchOf(app: { fetch: Hono<any>["fetch"] }): Hono<any>["fetch"] {
  return honoFetches.get(app) ?? app.fetch;
}

/** As Hono's #handleError: an Error goes to the app's handler, anything else is rethrown. */
function handleError(error: unknown, c: Context, onError: DirectErrorHandler): Response | Promise<Response> {
  if (error instanceof Error) return onError(error, c);
  throw error;
}
