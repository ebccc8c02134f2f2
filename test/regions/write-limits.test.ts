import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import type { Item } from "../../regions/store/store.ts";
import { postJson, type RegionPair, regionPair, testEnvironment } from "../support/region-pair.ts";

let pair: RegionPair | undefined;
afterEach(async () => {
  await pair?.stop();
  pair = undefined;
});

function nested(depth: number): unknown {
  let value: unknown = {};
  for (let i = 0; i < depth; i++) value = { data: value };
  return value;
}

/** The body as text: JSON.stringify itself overflows its stack some thousands of levels deep. */
function nestedBody(depth: number): string {
  return `{"data":${'{"data":'.repeat(depth)}{}${"}".repeat(depth)}}`;
}

describe("the write gate's limits on JSON depth, keys and string sizes", () => {
  it("a body nested 5,000 deep gets a JSON 400 naming jsonDepthMax, and nothing is committed", async () => {
    pair = regionPair(testEnvironment({ maxBodyBytes: 1024 * 1024 }));
    const res = await pair.us.app.request("/items", postJson(nestedBody(5000)));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "limit_exceeded", limit: "jsonDepthMax", max: 32 });
    expect(await pair.stores.us.head()).toEqual({ seq: 0, epoch: 0 });
    const put = await pair.us.app.request(`/items/01ARZ3NDEKTSV4RRFFQ69G5FAV`, {
      ...postJson(nestedBody(5000)),
      method: "PUT",
    });
    expect(put.status).toBe(400);
    expect(await pair.stores.us.head()).toEqual({ seq: 0, epoch: 0 });
  });

  it("accepts the deepest body the limit allows and refuses one level more (brackets in strings do not count)", async () => {
    pair = regionPair(testEnvironment({ writeLimits: { jsonDepthMax: 4 } }));
    // body (1) > data (2) > a's array (3) > the inner array (4)
    const atLimit = await pair.us.app.request("/items", postJson({ data: { a: [[1, "{[{["]] } }));
    expect(atLimit.status).toBe(201);
    const over = await pair.us.app.request("/items", postJson({ data: { a: [[[1]]] } }));
    expect(over.status).toBe(400);
    expect(await over.json()).toMatchObject({ limit: "jsonDepthMax", max: 4 });
  });

  it("refuses too many keys and too long strings (keys too), naming the limit", async () => {
    pair = regionPair(testEnvironment({ writeLimits: { jsonKeysMax: 5, jsonStringBytesMax: 8 } }));
    const cases: [unknown, string][] = [
      [{ data: { a: 1, b: 2, c: 3, d: 4, e: 5 } }, "jsonKeysMax"], // 6 with "data"
      [{ data: { a: [{ b: 1 }, { c: 2 }, { d: 3 }, { e: 4 }] } }, "jsonKeysMax"],
      [{ data: { a: "123456789" } }, "jsonStringBytesMax"],
      [{ data: { a: "éééé5" } }, "jsonStringBytesMax"], // 9 UTF-8 bytes in 5 characters
      [{ data: { "123456789": 1 } }, "jsonStringBytesMax"],
    ];
    for (const [body, limit] of cases) {
      const res = await pair.us.app.request("/items", postJson(body));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.json()).toMatchObject({ error: "limit_exceeded", limit });
    }
    expect(await pair.stores.us.head()).toEqual({ seq: 0, epoch: 0 });
    expect((await pair.us.app.request("/items", postJson({ data: { a: "12345678", b: 2 } }))).status).toBe(
      201,
    );
  });

  it("property: any JSON within the limits is written, replicated, and read back equal on the standby", async () => {
    pair = regionPair(testEnvironment({ maxBodyBytes: 1024 * 1024 }));
    const p = pair;
    const data = fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 6 }), { maxKeys: 8 });
    await fc.assert(
      fc.asyncProperty(data, async (value) => {
        const res = await p.us.app.request("/items", postJson({ data: value }));
        expect(res.status).toBe(201);
        const { id } = (await res.json()) as Item;
        await p.clock.advance(150);
        const onStandby = await p.ie.app.request(`/items/${id}`);
        expect(onStandby.status).toBe(200);
        // Equal as JSON: what the client sent, as JSON, is what the standby answers (-0 is 0 in JSON).
        expect(((await onStandby.json()) as Item).data).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 150, seed: 13 },
    );
    const status = (await (await p.us.app.request("/region")).json()) as {
      replication: { lagEntries: number; stalled?: unknown };
    };
    expect(status.replication).toMatchObject({ lagEntries: 0 });
    expect(status.replication.stalled).toBeUndefined();
  });

  it("a key named __proto__ (which a JS object cannot hold as data) gets a 400, not a silently different item", async () => {
    pair = regionPair();
    for (const body of ['{"data":{"__proto__":{"x":1},"y":2}}', '{"data":{"a":[{"__proto__":1}]}}']) {
      const res = await pair.us.app.request("/items", postJson(body));
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: "limit_exceeded", limit: "reservedKeys" });
    }
    expect(await pair.stores.us.head()).toEqual({ seq: 0, epoch: 0 });
  });

  it("nested() builds what nestedBody() spells (the helper agrees with JSON)", () => {
    expect(JSON.parse(nestedBody(3))).toEqual({ data: nested(3) });
  });
});
