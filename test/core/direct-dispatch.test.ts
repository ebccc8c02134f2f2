import { afterEach, describe, expect, it } from "vitest";
import { honoFetchOf } from "../../core/direct-context.ts";
import { inProcessTransport } from "../../core/in-process-transport.ts";
import { seededRandom } from "../../core/random.ts";
import { createRouter } from "../../router/create-router.ts";
import { postJson, type RegionPair, regionPair, testEnvironment } from "../support/region-pair.ts";

// Issue 18: the router's forwarding and a region's item read skip Hono's dispatch and run the
// same handlers on a DirectContext (core/direct-context.ts). The direct path must answer every
// request exactly as the Hono path does: status, every header, body.

let pair: RegionPair | undefined;
afterEach(async () => {
  await pair?.stop();
  pair = undefined;
});

type Fetch = (request: Request) => Response | Promise<Response>;

interface Answer {
  status: number;
  headers: [string, string][];
  body: string;
}

async function answerOf(fetch: Fetch, url: string, init?: RequestInit): Promise<Answer> {
  const response = await fetch(new Request(url, init));
  return { status: response.status, headers: [...response.headers].sort(), body: await response.text() };
}

/** The same request through the direct path and through Hono's: both answers, for comparing. */
async function bothPaths(app: { fetch: Fetch }, url: string, init?: RequestInit): Promise<[Answer, Answer]> {
  const hono = honoFetchOf(app as Parameters<typeof honoFetchOf>[0]) as Fetch;
  const viaHono = await answerOf(hono, url, init);
  const direct = await answerOf((request) => app.fetch(request), url, init);
  return [direct, viaHono];
}

async function pairWithItem(): Promise<{ pair: RegionPair; id: string }> {
  pair = regionPair(testEnvironment({ replication: { mode: "async" } }));
  await pair.clock.advance(600);
  const created = await pair.us.app.request("http://us.test/items", postJson({ data: { v: 1 } }));
  expect(created.status).toBe(201);
  return { pair, id: ((await created.json()) as { id: string }).id };
}

describe("direct dispatch (issue 18)", () => {
  it("a region answers item reads on the direct path exactly as through Hono", async () => {
    const { pair, id } = await pairWithItem();
    const app = pair.us.app;
    expect(app.fetch).not.toBe(honoFetchOf(app));
    const cases: [string, RequestInit | undefined, number][] = [
      [`/items/${id}`, undefined, 200],
      [`/items/${id}?ignored=1`, undefined, 200],
      [`/items/${id}`, { headers: { "x-failover-epoch": "1" } }, 200],
      [`/items/${id}`, { headers: { "x-failover-epoch": "abc" } }, 400],
      ["/items/not-a-ulid", undefined, 400],
      ["/items/01ARZ3NDEKTSV4RRFFQ69G5FAV", undefined, 404],
    ];
    for (const [path, init, status] of cases) {
      const [direct, viaHono] = await bothPaths(app, `http://us.test${path}`, init);
      expect(direct.status, path).toBe(status);
      expect(direct, path).toEqual(viaHono);
    }
    // The standby refuses a tagged read; a store that is down is a 503 from the error handler.
    const [refused, refusedViaHono] = await bothPaths(pair.ie.app, `http://ie.test/items/${id}`, {
      headers: { "x-failover-epoch": "1" },
    });
    expect(refused.status).toBe(503);
    expect(refused).toEqual(refusedViaHono);
    pair.stores.us.down = true;
    const [down, downViaHono] = await bothPaths(app, `http://us.test/items/${id}`);
    expect(down.status).toBe(503);
    expect(JSON.parse(down.body)).toMatchObject({ error: "store_unavailable" });
    expect(down).toEqual(downViaHono);
  });

  it("a region answers item creation on the direct path as through Hono", async () => {
    const { pair } = await pairWithItem();
    const app = pair.us.app;
    const post = (body: string, headers: Record<string, string> = {}) => postJson(body, headers);
    const cases: [RequestInit, number][] = [
      [post('{"data":{"v":1}}', { "idempotency-key": "bad key" }), 400],
      [post("{not json"), 400],
      [post('{"data":{"v":1}}', { "content-type": "text/plain" }), 415],
      [post(JSON.stringify({ data: { text: "x".repeat(4096) } })), 413],
      [post('{"data":{"v":1}}', { "x-failover-epoch": "9" }), 409],
    ];
    for (const [init, status] of cases) {
      const [direct, viaHono] = await bothPaths(app, "http://us.test/items", init);
      expect(direct.status, String(init.body).slice(0, 40)).toBe(status);
      expect(direct).toEqual(viaHono);
    }
    // The same Idempotency-Key: the second answer replays the first, on either path.
    const keyed = post('{"data":{"v":2}}', { "idempotency-key": "k-1", "x-failover-epoch": "1" });
    // bothPaths asks Hono first: it creates the item, the direct path replays it.
    const [replayed, created] = await bothPaths(app, "http://us.test/items", keyed);
    expect([created.status, replayed.status]).toEqual([201, 200]);
    expect(JSON.parse(replayed.body)).toEqual(JSON.parse(created.body));
    const [again, againViaHono] = await bothPaths(app, "http://us.test/items", keyed);
    expect(again.status).toBe(200);
    expect(again).toEqual(againViaHono);
    // A new item: the same status and header names (the id and log position differ).
    const [fresh, freshViaHono] = await bothPaths(app, "http://us.test/items", post('{"data":{"v":3}}'));
    expect(fresh.status).toBe(201);
    expect(fresh.headers.map(([name]) => name)).toEqual(freshViaHono.headers.map(([name]) => name));
    // The standby refuses, on either path alike.
    const [refused, refusedViaHono] = await bothPaths(
      pair.ie.app,
      "http://ie.test/items",
      post('{"data":{}}'),
    );
    expect(refused.status).toBe(503);
    expect(refused).toEqual(refusedViaHono);
  });

  it("the router forwards on the direct path exactly as through Hono", async () => {
    const { pair, id } = await pairWithItem();
    const router = createRouter({
      config: testEnvironment({ replication: { mode: "async" } }),
      routerId: "edge-direct",
      clock: pair.clock,
      transport: inProcessTransport(
        new Map([
          ["prod-us", pair.us.app],
          ["prod-ie", pair.ie.app],
        ]),
      ),
      random: seededRandom(3),
      control: pair.control,
      adminToken: "t0ken",
    });
    router.start();
    try {
      expect(router.app.fetch).not.toBe(honoFetchOf(router.app));
      const asClient = { "x-request-id": "client-chosen-id" };
      const cases: [string, RequestInit, number][] = [
        [`/items/${id}`, { headers: asClient }, 200],
        ["/items", { ...postJson("{not json", asClient) }, 400],
        ["/items/01ARZ3NDEKTSV4RRFFQ69G5FAV", { method: "DELETE", headers: asClient }, 404],
        ["/items//x", { headers: asClient }, 400],
        ["/region", { headers: asClient }, 404],
        ["/_replication/batch", { headers: asClient }, 404],
        ["/healthz", { method: "POST", headers: asClient }, 404],
      ];
      for (const [path, init, status] of cases) {
        const [direct, viaHono] = await bothPaths(router.app, `http://edge.test${path}`, init);
        expect(direct.status, path).toBe(status);
        expect(direct, path).toEqual(viaHono);
      }
    } finally {
      router.stop();
    }
  });
});
