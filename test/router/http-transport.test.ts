import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../core/clock.ts";
import { MemoryControlStore } from "../../core/control.ts";
import { seededRandom } from "../../core/random.ts";
import { TransportError } from "../../core/transport.ts";
import { createRouter } from "../../router/create-router.ts";
import { serveRouter } from "../../router/node-server.ts";
import { createHttpTransport, type HttpTransport } from "../../router/transport/http-transport.ts";
import { createRuntimeTransport, onBun } from "../../router/transport/runtime-transport.ts";
import { transportFailure } from "../support/transport-failure.ts";
import { routerEnvironment } from "./support/router-env.ts";

// A stand-in upstream on 127.0.0.1 with one route per behaviour the transport must map.
let upstream: Server;
let port = 0;
let closedPort = 0;
const seen: { url: string; host: string | undefined; body: string }[] = [];
const LARGE = "x".repeat(200_000);

beforeAll(async () => {
  upstream = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => {
      body += d;
    });
    req.on("end", () => {
      seen.push({ url: req.url ?? "", host: req.headers.host, body });
      switch (req.url) {
        case "/large":
          res.writeHead(200, { "content-type": "text/plain" });
          res.write(LARGE.slice(0, 100_000));
          setTimeout(() => res.end(LARGE.slice(100_000)), 20);
          return;
        case "/cookies":
          res.writeHead(200, [
            ["set-cookie", "a=1"],
            ["set-cookie", "b=2"],
            ["content-length", "2"],
          ]);
          res.end("ok");
          return;
        case "/empty":
          res.writeHead(204);
          res.end();
          return;
        case "/hang":
          return;
        case "/reset":
          req.socket.destroy();
          return;
        default:
          res.writeHead(200, { "content-type": "application/json", "x-region": "prod-us" });
          res.end(JSON.stringify({ url: req.url, method: req.method, body }));
      }
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const address = upstream.address();
  port = typeof address === "object" && address ? address.port : 0;
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const probeAddress = probe.address();
  closedPort = typeof probeAddress === "object" && probeAddress ? probeAddress.port : 0;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});

afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

function transportFor(): HttpTransport {
  return createHttpTransport(
    routerEnvironment({}, {}, [`http://127.0.0.1:${port}`, `http://127.0.0.1:${closedPort}`]),
  );
}

const opts = { connectTimeoutMs: 200, responseTimeoutMs: 200 };

// The undici transport itself: Node only (Bun's undici has no dispatcher API; on Bun the router
// uses the fetch transport, which test/core/transport-contract.test.ts holds to the same contract).
describe.skipIf(onBun)("pooled HTTP transport", () => {
  it("sends to the region's configured origin whatever host the Request URL names, path and query only", async () => {
    const http = transportFor();
    const response = await http.transport("prod-us", new Request("http://evil.example:9/items?x=1"), opts);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ url: "/items?x=1", method: "GET" });
    expect(seen.at(-1)?.host).toBe(`127.0.0.1:${port}`);
    await http.close();
  });

  it("sends bodies, streams large responses, keeps repeated Set-Cookie, handles 204", async () => {
    const http = transportFor();
    const posted = await http.transport(
      "prod-us",
      new Request("http://x/echo", {
        method: "POST",
        body: '{"a":1}',
        headers: { "content-type": "application/json" },
      }),
      opts,
    );
    expect(await posted.json()).toMatchObject({ method: "POST", body: '{"a":1}' });
    const large = await http.transport("prod-us", new Request("http://x/large"), opts);
    expect((await large.text()).length).toBe(LARGE.length);
    const cookies = await http.transport("prod-us", new Request("http://x/cookies"), opts);
    expect(cookies.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    const empty = await http.transport("prod-us", new Request("http://x/empty"), opts);
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    await http.close();
  });

  it("maps failures to kinds: refused, timeout (headers), reset, aborted; unknown regions too", async () => {
    const http = transportFor();
    expect((await transportFailure(http.transport("prod-ie", new Request("http://x/"), opts))).kind).toBe(
      "refused",
    );
    expect((await transportFailure(http.transport("prod-us", new Request("http://x/hang"), opts))).kind).toBe(
      "timeout",
    );
    expect(
      (await transportFailure(http.transport("prod-us", new Request("http://x/reset"), opts))).kind,
    ).toBe("reset");
    const controller = new AbortController();
    const pending = http.transport("prod-us", new Request("http://x/hang"), {
      ...opts,
      signal: controller.signal,
    });
    controller.abort(new TransportError("timeout", "prod-us", "router deadline"));
    expect((await transportFailure(pending)).message).toContain("router deadline");
    expect((await transportFailure(http.transport("prod-mars", new Request("http://x/"), opts))).kind).toBe(
      "unknown",
    );
    await http.close();
  });
});

describe("router over the HTTP transport (the fetch transport on Bun)", () => {
  it("passes repeated Set-Cookie and large streamed bodies through to the client", async () => {
    const config = routerEnvironment({}, {}, [`http://127.0.0.1:${port}`, `http://127.0.0.1:${port}`]);
    const http = createRuntimeTransport(config);
    const router = createRouter({
      config,
      routerId: "edge-t",
      clock: systemClock,
      transport: http.transport,
      random: seededRandom(3),
      control: new MemoryControlStore(),
    });
    const served = await serveRouter(router, { port: 0, host: "127.0.0.1" });
    router.start();
    try {
      const cookies = await fetch(`${served.url}/cookies`);
      expect(cookies.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
      expect(cookies.headers.get("x-served-by")).toBe("prod-us");
      const large = await fetch(`${served.url}/large`);
      expect((await large.text()).length).toBe(LARGE.length);
      const posted = await fetch(`${served.url}/echo`, { method: "PUT", body: "hello" });
      expect(await posted.json()).toMatchObject({ method: "PUT", body: "hello" });
    } finally {
      router.stop();
      await served.close();
      await http.close();
    }
  });
});
