import { Hono } from "hono";
import type { Logger } from "pino";
import { jsonError } from "../../core/http-errors.ts";
import { type RequireSignatureOptions, requireSignature } from "../replication/auth/require-signature.ts";
import { StoreUnavailableError } from "../store/store.ts";

export interface ReplicationListenerOptions {
  regionName: string;
  /** The routes mounted under /_replication (replication-routes.ts). */
  routes: Hono;
  auth: RequireSignatureOptions;
  logger?: Logger | undefined;
}

/**
 * The region-to-region app, served on a listener of its own (the region's
 * `replicationEndpoint`), never on the client-facing one: a client that reaches the region's
 * public port cannot reach replication in any spelling of the path, because no route there
 * leads to it. Every request must be signed by the peer (auth/require-signature.ts).
 */
export function replicationListenerApp(options: ReplicationListenerOptions): Hono {
  const app = new Hono();
  app.use(async (c, next) => {
    await next();
    c.res.headers.set("x-region", options.regionName);
  });
  app.use("*", requireSignature(options.auth));
  app.route("/_replication", options.routes);
  app.notFound((c) => jsonError(c, 404, "not_found", `no route for ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => {
    if (error instanceof StoreUnavailableError) return jsonError(c, 503, "store_unavailable", error.message);
    options.logger?.error({ err: error, path: c.req.path }, "unhandled error on the replication listener");
    return jsonError(c, 500, "internal_error", "the region failed to handle this request; see its logs");
  });
  return app;
}
