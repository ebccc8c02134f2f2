import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServedApp } from "../../core/serve-app.ts";
import { serveRouter } from "../../router/node-server.ts";
import { rawExchange } from "./support/raw-http.ts";
import { type Harness, routerHarness } from "./support/router-harness.ts";

// Issue 13, items 3 and 7: internal paths are unreachable through the router in any spelling,
// and whatever the router refuses (a path, a method, a request Node's parser rejects, a slow
// client) is answered with a JSON error, in process and over a real socket.
let h: Harness;
const ADMIN_TOKEN = "socket-test-token";
let served: ServedApp;

beforeAll(async () => {
  h = routerHarness({ adminToken: ADMIN_TOKEN });
  h.router.start();
  await h.clock.advance(0);
  // Short client timeouts so the slowloris case needs no long real wait.
  served = await serveRouter(h.router, {
    port: 0,
    host: "127.0.0.1",
    limits: { headersTimeoutMs: 400, requestTimeoutMs: 800, checkIntervalMs: 100 },
  });
});
afterAll(async () => {
  h.router.stop();
  await served.close();
});

/** Every spelling tried, and the status the router answers it with over a socket. */
const SPELLINGS: [string, "GET" | "POST", 400 | 404][] = [
  ["/_replication/entries", "POST", 404],
  ["/_replication", "GET", 404],
  ["/_replication/entries?x=1", "POST", 404],
  ["/%5Freplication/entries", "POST", 404],
  ["/%5freplication/entries", "POST", 404],
  ["/%5F%72eplication/entries", "POST", 404],
  ["/_REPLICATION/entries", "POST", 404],
  ["/_Replication/entries", "POST", 404],
  ["/%5F%52EPLICATION/entries", "POST", 404],
  ["/%255Freplication/entries", "POST", 400],
  ["/%25255Freplication/entries", "POST", 400],
  ["/items/../_replication/entries", "POST", 400],
  ["/items/%2e%2e/_replication/entries", "POST", 400],
  ["/items/%2E%2E/%5Freplication/entries", "POST", 400],
  ["/items/.%2e/_replication/entries", "POST", 400],
  ["/./_replication/entries", "POST", 400],
  ["/_replication;x=1/entries", "POST", 400],
  ["/items;/../_replication/entries", "POST", 400],
  ["/_replication%3Bx/entries", "POST", 400],
  ["/\\_replication/entries", "POST", 400],
  ["/items\\..\\_replication/entries", "POST", 400],
  ["/%5C_replication/entries", "POST", 400],
  ["/%5c_replication/entries", "POST", 400],
  ["//_replication/entries", "POST", 400],
  ["///_replication/entries", "POST", 400],
  ["/items//../_replication/entries", "POST", 400],
  ["/_replication%2Fentries", "POST", 400],
  ["/%2F_replication/entries", "POST", 400],
  ["/%2f_replication/entries", "POST", 400],
  ["/_replication%3F/entries", "POST", 400],
  ["/_replication%23/entries", "POST", 400],
  ["/_replication%00/entries", "POST", 400],
  ["/%5%46replication/entries", "POST", 400],
  ["/%zzreplication/entries", "POST", 400],
  ["/region", "GET", 404],
  ["/REGION", "GET", 404],
  ["/%72egion/orphaned", "GET", 404],
  ["/region/orphaned", "GET", 404],
  ["/%6Detrics", "GET", 404],
  ["/METRICS", "GET", 404],
  ["/%5Frouter/status", "GET", 404],
  ["/_ROUTER/status", "GET", 404],
  ["/_Router/promote", "POST", 404],
  ["/%5F%72outer/promote", "POST", 404],
];

function rawRequest(method: string, path: string, body = ""): string {
  const length =
    method === "POST" ? `content-type: application/json\r\ncontent-length: ${body.length}\r\n` : "";
  return `${method} ${path} HTTP/1.1\r\nhost: edge.test\r\n${length}connection: close\r\n\r\n${body}`;
}

describe("internal paths in any spelling", () => {
  it.each(SPELLINGS)(
    "over a socket: %s (%s) is answered %d in JSON and reaches no region",
    async (path, method, status) => {
      const before = h.regions.traffic().length;
      const answer = await rawExchange(served.port, rawRequest(method, path, method === "POST" ? "{}" : ""));
      expect(answer.status).toBe(status);
      expect(answer.headers["content-type"]).toContain("application/json");
      // Backslashes are refused by @hono/node-server before the router sees them (bad_request).
      const errors = status === 404 ? ["not_found"] : ["bad_path", "bad_request"];
      expect(errors).toContain((JSON.parse(answer.body) as { error: string }).error);
      expect(h.regions.traffic().length).toBe(before);
    },
  );

  it.each(SPELLINGS)("in process: %s (%s) never reaches a region", async (path, method) => {
    // The fetch URL parser normalises some spellings itself (dot segments, backslashes), so the
    // router may see the plain internal path: refused either way, 400 or 404.
    const before = h.regions.traffic().length;
    const response = await h.request(path, method === "POST" ? { method, body: "{}" } : undefined);
    expect([400, 404]).toContain(response.status);
    expect(["bad_path", "not_found"]).toContain(((await response.json()) as { error: string }).error);
    expect(h.regions.traffic().length).toBe(before);
  });

  it("forwards ordinary paths in their normalised spelling, query untouched", async () => {
    const before = h.regions.traffic().length;
    const plain = await rawExchange(served.port, rawRequest("GET", "/items/01ARZ3NDEKTSV4RRFFQ69G5FAV"));
    expect(plain.status).toBe(200);
    const encoded = await rawExchange(served.port, rawRequest("GET", "/%69tems/%30A?next=%2F_replication"));
    expect(encoded.status).toBe(200);
    const seen = h.regions
      .traffic()
      .slice(before)
      .map((s) => s.path);
    expect(seen).toEqual(["/items/01ARZ3NDEKTSV4RRFFQ69G5FAV", "/items/0A?next=%2F_replication"]);
  });

  it("the router's own admin API and metrics answer at their canonical paths only", async () => {
    const auth = `GET /_router/status HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${ADMIN_TOKEN}\r\n\r\n`;
    expect((await rawExchange(served.port, auth)).status).toBe(200);
    expect((await rawExchange(served.port, rawRequest("GET", "/metrics"))).status).toBe(200);
  });
});

describe("requests refused before the app, in JSON", () => {
  const json = (answer: { headers: Record<string, string>; body: string }) => {
    expect(answer.headers["content-type"]).toContain("application/json");
    return JSON.parse(answer.body) as { error: string; detail: string };
  };

  it("TRACE and CONNECT get 405 from the router; neither reaches a region", async () => {
    const before = h.regions.traffic().length;
    const trace = await rawExchange(served.port, rawRequest("TRACE", "/items"));
    expect(trace.status).toBe(405);
    expect(trace.headers.allow).toBe("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    expect(json(trace).error).toBe("method_not_allowed");
    const connect = await rawExchange(
      served.port,
      "CONNECT prod-us.internal:443 HTTP/1.1\r\nhost: x\r\n\r\n",
    );
    expect(connect.status).toBe(405);
    expect(json(connect).error).toBe("method_not_allowed");
    expect(h.regions.traffic().length).toBe(before);
  });

  it.each([
    ["an unknown method", "BREW /items HTTP/1.1\r\nhost: x\r\n\r\n", 501, "method_not_implemented"],
    // Methods the HTTP parsers know but the router does not forward, and a lowercase one (methods
    // are case-sensitive, RFC 9110 9.1); on Bun too, whose fetch Request would rename or upper-case them.
    ["a WebDAV method", "MKCOL /items HTTP/1.1\r\nhost: x\r\n\r\n", 501, "method_not_implemented"],
    ["a lowercase method", "patch /items HTTP/1.1\r\nhost: x\r\n\r\n", 501, "method_not_implemented"],
    [
      "Content-Length with Transfer-Encoding (smuggling)",
      "POST /items HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n",
      400,
      "bad_framing",
    ],
    [
      "two different Content-Lengths",
      "POST /items HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\n{}",
      400,
      "bad_framing",
    ],
    [
      "a bad chunk size",
      "POST /items HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
      400,
      "bad_request",
    ],
    ["a header line without a colon", "GET /items HTTP/1.1\r\nhost x\r\n\r\n", 400, "bad_request"],
    ["a bare LF request", "GET /items HTTP/1.1\nhost: x\n\n", 400, "bad_request"],
    ["garbage (read as an invalid method)", "\x00\x01\x02 hello\r\n\r\n", 501, "method_not_implemented"],
    ["an HTTP/2 preface on HTTP/1.1", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 400, "bad_request"],
    [
      "oversized headers (20 KB, over Node's 16 KiB)",
      `GET /items HTTP/1.1\r\nhost: x\r\nx-big: ${"a".repeat(20_000)}\r\n\r\n`,
      431,
      "headers_too_large",
    ],
  ])("%s: %d %s", async (_name, payload, status, error) => {
    const before = h.regions.traffic().length;
    const answer = await rawExchange(served.port, payload);
    expect(answer.status).toBe(status);
    expect(json(answer).error).toBe(error);
    expect(h.regions.traffic().length).toBe(before);
  });

  it("a slowloris client (one header byte every 50 ms) is cut off at headersTimeout with a JSON 408", async () => {
    const answer = await rawExchange(served.port, "GET /items HTTP/1.1\r\nhost: x\r\nx-slow: ", {
      trickleMs: 50,
      timeoutMs: 5000,
    });
    expect(answer.status).toBe(408);
    expect(json(answer).error).toBe("request_timeout");
    // headersTimeout 400 ms, checked every 100 ms; far below the 5 s this client would go on for.
    expect(answer.elapsedMs).toBeLessThan(3000);
  });
});
