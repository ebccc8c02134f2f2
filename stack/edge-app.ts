import { Hono } from "hono";
import { jsonError } from "../core/http-errors.ts";
import { TransportError } from "../core/transport.ts";
import type { Router } from "../router/create-router.ts";
import type { LinkGate } from "./link-gate.ts";

/**
 * How long a client's request may wait on a partitioned client->router link before the stack
 * answers 504 itself (k6's default request timeout is 60 s as well).
 */
const CLIENT_LINK_TIMEOUT_MS = 60_000;

/**
 * What clients connect to: the current router (it changes on router-restart) behind the
 * client->router link. The request's own signal ends the wait when the client gives up.
 */
export function edgeApp(clientLink: LinkGate, currentRouter: () => Router): Hono {
  const app = new Hono();
  const limits = { connectTimeoutMs: CLIENT_LINK_TIMEOUT_MS, responseTimeoutMs: CLIENT_LINK_TIMEOUT_MS };
  app.all("*", async (c) => {
    const toRouter = clientLink.wrap((_region, request) =>
      Promise.resolve(currentRouter().app.fetch(request, c.env)),
    );
    try {
      return await toRouter("router", c.req.raw, { ...limits, signal: c.req.raw.signal });
    } catch (error) {
      // Not a link failure: the client gave up or the stack is stopping, and nobody reads this.
      if (!(error instanceof TransportError))
        return jsonError(c, 503, "stack_stopping", "the live stack is stopping");
      return jsonError(
        c,
        504,
        "client_link_partitioned",
        `${error.message}; no answer within ${CLIENT_LINK_TIMEOUT_MS} ms`,
      );
    }
  });
  return app;
}
