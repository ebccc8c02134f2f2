import { createServer, type Server } from "node:http";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { environmentSchema } from "../../config/schema.ts";
import { inProcessTransport } from "../../core/in-process-transport.ts";
import { type ServedApp, serveApp } from "../../core/serve-app.ts";
import {
  type CancelSlot,
  type RawResponse,
  rawText,
  type Transport,
  TransportError,
} from "../../core/transport.ts";
import { createFetchTransport } from "../../router/transport/fetch-transport.ts";
import { createHttpTransport } from "../../router/transport/http-transport.ts";
import { installLightResponse } from "../../simulator/engine/run-globals.ts";
import type { Endpoint } from "../../simulator/transport/endpoint.ts";
import { networkTransport } from "../../simulator/transport/network-transport.ts";
import { netHarness } from "../simulator/support/net-harness.ts";
import { transportFailure } from "../support/transport-failure.ts";

/**
 * The Transport contract (core/transport.ts), run against every transport: the pooled HTTP one
 * over real sockets, the in-process one, and the simulator's network, each on its fetch path
 * and, where it has one, its raw path. A new transport joins by adding a harness below.
 */

/** The region's app: echoes what arrived, sets two cookies, hangs on /hang, answers /empty 204. */
function targetApp(): Hono {
  const app = new Hono();
  app.all("/hang", () => new Promise<Response>(() => {}));
  app.delete("/empty", (c) => c.body(null, 204));
  app.all("*", async (c) => {
    const body = c.req.method === "GET" ? "" : await c.req.text();
    const url = new URL(c.req.url);
    const headers = new Headers({ "content-type": "application/json", "x-target": "yes" });
    headers.append("set-cookie", "a=1");
    headers.append("set-cookie", "b=2");
    const echo = {
      method: c.req.method,
      path: url.pathname + url.search,
      test: c.req.header("x-test"),
      body,
    };
    return new Response(JSON.stringify(echo), { status: 200, headers });
  });
  return app;
}

interface Harness {
  name: string;
  transport: Transport;
  /** Waits for a call, driving whatever clock the transport runs on. */
  settle<T>(call: Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const opts = { connectTimeoutMs: 500, responseTimeoutMs: 2000 };

async function httpHarness(kind: "undici" | "fetch" = "undici"): Promise<Harness> {
  const served: ServedApp = await serveApp(targetApp(), { port: 0, host: "127.0.0.1" });
  const closed: Server = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const closedPort = (closed.address() as { port: number }).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const config = environmentSchema.parse({
    name: "development",
    initialActive: "up",
    regions: [
      {
        name: "up",
        location: "virginia",
        awsRegion: "us-east-1",
        endpoint: `http://127.0.0.1:${served.port}`,
      },
      {
        name: "down",
        location: "ireland",
        awsRegion: "eu-west-1",
        endpoint: `http://127.0.0.1:${closedPort}`,
      },
    ],
  });
  if (kind === "fetch") {
    return {
      name: "fetch (router/transport/fetch-transport.ts, the router's transport on Bun)",
      transport: createFetchTransport(config),
      settle: (call) => call,
      close: () => served.close(),
    };
  }
  const http = createHttpTransport(config);
  return {
    name: "HTTP (router/transport/http-transport.ts)",
    transport: http.transport,
    settle: (call) => call,
    close: async () => {
      await http.close();
      await served.close();
    },
  };
}

function inProcessHarness(): Harness {
  const app = targetApp();
  return {
    name: "in-process (core/in-process-transport.ts)",
    transport: inProcessTransport(
      new Map([
        ["up", app],
        ["down", app],
      ]),
      new Set(["down"]),
    ),
    settle: (call) => call,
    close: async () => {},
  };
}

function simHarness(): Harness {
  const removeLight = installLightResponse();
  // No jitter, no faults, no service time: the contract's timings are the links' alone.
  const { engine, network } = netHarness();
  const app = targetApp();
  const endpoint = (name: string, fetch?: Endpoint["fetch"]): Endpoint => ({
    id: name,
    kind: "region",
    location: "virginia",
    name,
    awsRegion: "us-east-1",
    ...(fetch ? { fetch } : {}),
  });
  const targets = new Map([
    ["up", endpoint("up", async (request) => app.fetch(request))],
    ["down", endpoint("down")],
  ]);
  const from: Endpoint = { id: "edge", kind: "router", location: "virginia", name: "edge" };
  return {
    name: "simulated (simulator/transport/network-transport.ts)",
    transport: networkTransport(network, from, (r) => targets.get(r), true),
    settle: async (call) => {
      await engine.runUntil({ untilMs: engine.nowMs + 10_000 });
      return call;
    },
    close: async () => removeLight(),
  };
}

const harnesses: (() => Harness | Promise<Harness>)[] = [
  () => httpHarness(),
  () => httpHarness("fetch"),
  inProcessHarness,
  simHarness,
];

describe.each(harnesses.map((h, i) => [String(i + 1), h]))("transport contract, harness %s", (_, make) => {
  let h: Harness;
  beforeAll(async () => {
    h = await make();
  });
  afterAll(async () => h.close());

  it("fetch path: the path, query, headers and body arrive; status, headers, cookies and body come back", async () => {
    const response = await h.settle(
      h.transport(
        "up",
        new Request("http://elsewhere.example/items?limit=2", {
          method: "POST",
          headers: { "x-test": "1", "content-type": "text/plain" },
          body: "hello",
        }),
        opts,
      ),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("x-target")).toBe("yes");
    expect(response.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(await response.json()).toEqual({
      method: "POST",
      path: "/items?limit=2",
      test: "1",
      body: "hello",
    });
  });

  it("fetch path: a target that takes no connection is refused, named by region", async () => {
    const error = await h.settle(transportFailure(h.transport("down", new Request("http://x/items"), opts)));
    expect(error.kind).toBe("refused");
    expect(error.region).toBe("down");
    expect(error.neverSent).toBe(true);
  });

  it("raw path (if any): the same exchange as plain parts", async (ctx) => {
    const raw = h.transport.raw;
    if (!raw) return ctx.skip();
    const request = {
      method: "POST",
      url: "http://elsewhere.example/items?limit=2",
      headers: { "x-test": "1", "content-type": "text/plain" },
      body: new TextEncoder().encode("hello") as Uint8Array<ArrayBuffer>,
    };
    const response: RawResponse = await h.settle(raw("up", request, opts));
    expect(response.status).toBe(200);
    expect(response.headers["x-target"]).toBe("yes");
    expect(response.headers["set-cookie"]).toEqual(["a=1", "b=2"]);
    expect(JSON.parse(await rawText(response))).toEqual({
      method: "POST",
      path: "/items?limit=2",
      test: "1",
      body: "hello",
    });
    expect(request.headers).toEqual({ "x-test": "1", "content-type": "text/plain" }); // read, never changed
  });

  it("a 204 comes back with no body on either path, so the router can pass it on as a Response", async () => {
    const fetched = await h.settle(
      h.transport("up", new Request("http://x/empty", { method: "DELETE" }), opts),
    );
    expect(fetched.status).toBe(204);
    expect(fetched.body).toBeNull();
    const raw = h.transport.raw;
    if (!raw) return;
    const request = { method: "DELETE", url: "http://x/empty", headers: {}, body: undefined };
    const response = await h.settle(raw("up", request, opts));
    expect(response.status).toBe(204);
    // A body on a null-body status (even an empty one) makes the Response constructor throw.
    const passedOn = new Response(response.body, { status: response.status });
    expect(passedOn.status).toBe(204);
    expect(await passedOn.text()).toBe("");
  });

  it("raw path (if any): refused like the fetch path, and the cancel slot ends a call with its reason", async (ctx) => {
    const raw = h.transport.raw;
    if (!raw) return ctx.skip();
    const get = (url: string) => ({ method: "GET", url, headers: {}, body: undefined });
    const refused = await h.settle(transportFailure(raw("down", get("http://x/items"), opts)));
    expect(refused.kind).toBe("refused");
    const cancel: CancelSlot = {};
    const hanging = raw("up", get("http://x/hang"), { ...opts, cancel });
    const reason = new TransportError("timeout", "up", "the caller's deadline");
    setTimeout(() => cancel.cancel?.(reason), 50);
    // The simulated network runs on virtual time: the cancel comes from the test, in real time.
    const outcome = hanging.catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(cancel.cancel).toBeTypeOf("function");
    expect(await outcome).toBe(reason);
  });
});
