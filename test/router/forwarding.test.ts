import { afterEach, describe, expect, it } from "vitest";
import { type Harness, routerHarness } from "./support/router-harness.ts";

let h: Harness;
afterEach(() => h.router.stop());

function start(): Harness {
  h = routerHarness();
  h.router.start();
  return h;
}

const nodeEnv = { incoming: { socket: { remoteAddress: "198.51.100.7" } } };

describe("what goes upstream", () => {
  it("method, path, query and body pass through; hop-by-hop fields and the ones Connection names do not", async () => {
    const { regions, router } = start();
    const response = await router.app.request(
      "http://edge.test/items/01J?x=1&y=two",
      {
        method: "PUT",
        headers: {
          connection: "keep-alive, x-hop-secret",
          "keep-alive": "timeout=5",
          te: "trailers",
          upgrade: "websocket",
          "proxy-authorization": "Basic c2VjcmV0",
          "x-hop-secret": "do not forward",
          "x-custom": "kept",
          "content-type": "application/json",
        },
        body: '{"data":{"a":1}}',
      },
      nodeEnv,
    );
    expect(response.status).toBe(200);
    const [seen] = regions.traffic();
    expect(seen).toMatchObject({
      region: "prod-us",
      method: "PUT",
      path: "/items/01J?x=1&y=two",
      body: '{"data":{"a":1}}',
    });
    for (const name of [
      "connection",
      "keep-alive",
      "te",
      "upgrade",
      "proxy-authorization",
      "x-hop-secret",
      "host",
    ]) {
      expect(seen?.headers.has(name), name).toBe(false);
    }
    expect(seen?.headers.get("x-custom")).toBe("kept");
    expect(seen?.headers.get("content-type")).toBe("application/json");
  });

  it("adds Forwarded, X-Forwarded-For (appended) and a request id, echoed to the client", async () => {
    const { regions, router } = start();
    const response = await router.app.request(
      "http://edge.test/items/a",
      { headers: { "x-forwarded-for": "203.0.113.9", forwarded: "for=203.0.113.9" } },
      nodeEnv,
    );
    const seen = regions.traffic()[0]!;
    expect(seen.headers.get("x-forwarded-for")).toBe("203.0.113.9, 198.51.100.7");
    expect(seen.headers.get("forwarded")).toBe(
      'for=203.0.113.9, for=198.51.100.7;proto=http;host="edge.test"',
    );
    expect(seen.headers.get("x-forwarded-proto")).toBe("http");
    const id = response.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(seen.headers.get("x-request-id")).toBe(id);
  });

  it("keeps a caller's plain request id and replaces one that is not", async () => {
    const { regions } = start();
    const kept = await h.request("/items/a", { headers: { "x-request-id": "abc-123" } });
    expect(kept.headers.get("x-request-id")).toBe("abc-123");
    const replaced = await h.request("/items/a", { headers: { "x-request-id": "has spaces <script>" } });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9A-Z]{26}$/);
    expect(regions.traffic()[1]?.headers.get("x-request-id")).toBe(replaced.headers.get("x-request-id"));
  });

  it("a client cannot set the fencing epoch: replaced by the router's on reads (issue 12) and writes", async () => {
    const { regions } = start();
    await h.request("/items/a", { headers: { "x-failover-epoch": "99" } });
    await h.request("/items", { method: "POST", headers: { "x-failover-epoch": "99" }, body: "{}" });
    const [read, write] = regions.traffic();
    expect(read?.headers.get("x-failover-epoch")).toBe("1");
    expect(write?.headers.get("x-failover-epoch")).toBe("1");
  });
});

describe("the router is not an open proxy", () => {
  it("an absolute-form URL naming another host goes to the configured region, path only", async () => {
    const { regions, router } = start();
    const response = await router.app.request("http://evil.example:8080/steal?x=1");
    expect(response.headers.get("x-served-by")).toBe("prod-us");
    expect(regions.traffic()[0]?.url).toBe("http://127.0.0.1:1/steal?x=1");
  });

  it("a forged Host header does not change the target", async () => {
    const { regions } = start();
    await h.request("/items/a", { headers: { host: "169.254.169.254" } });
    expect(regions.traffic()[0]?.url).toBe("http://127.0.0.1:1/items/a");
    expect(regions.traffic()[0]?.region).toBe("prod-us");
  });

  it("a network-path reference (//host/x) is refused as an ambiguous path and goes nowhere", async () => {
    // regionUrl keeps such a path on the configured origin anyway (small-parts.test.ts).
    const { regions } = start();
    const response = await h.request("//evil.example/x");
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "bad_path" });
    expect(regions.traffic()).toHaveLength(0);
  });

  it("region-to-region replication endpoints are not reachable through the router", async () => {
    const { regions } = start();
    const response = await h.request("/_replication/entries", { method: "POST", body: "{}" });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: "not_found" });
    expect(regions.traffic()).toHaveLength(0);
  });
});

describe("what comes back", () => {
  it("strips hop-by-hop response fields, keeps the region's own, says who served it and why", async () => {
    start();
    const response = await h.request("/items/a");
    expect(response.headers.get("x-region")).toBe("prod-us");
    expect(response.headers.get("x-served-by")).toBe("prod-us");
    expect(response.headers.get("x-served-reason")).toBe("active");
    for (const name of ["connection", "keep-alive", "x-upstream-secret"])
      expect(response.headers.has(name), name).toBe(false);
    expect(await response.json()).toEqual({ region: "prod-us", path: "/items/a" });
  });

  it("a body over maxBodyBytes (2048) is refused with 413 before it reaches a region, declared or streamed", async () => {
    const { regions } = start();
    const declared = await h.request("/items", { method: "POST", body: "x".repeat(2049) });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({
      error: "body_too_large",
      detail: "request body exceeds 2048 bytes",
    });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 3; i++) controller.enqueue(new Uint8Array(1000));
        controller.close();
      },
    });
    const streamed = await h.request("/items", {
      method: "POST",
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(regions.traffic()).toHaveLength(0);
  });
});
