import { describe, expect, it } from "vitest";
import { isUlid } from "../../regions/service/ids.ts";
import type { Item } from "../../regions/store/store.ts";
import { postJson, regionPairEachTest } from "../support/region-pair.ts";

const pair = regionPairEachTest();

async function create(
  data: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return pair.us.app.request("/items", postJson({ data }, headers));
}

describe("items API on the active region", () => {
  it("creates an item with a ULID id and reads it back", async () => {
    const res = await create({ name: "a" });
    expect(res.status).toBe(201);
    expect(res.headers.get("x-region")).toBe("prod-us");
    const item = (await res.json()) as Item;
    expect(isUlid(item.id)).toBe(true);
    expect(item).toMatchObject({ data: { name: "a" }, version: 1, createdAtMs: pair.clock.nowMs() });
    const got = await pair.us.app.request(`/items/${item.id}`);
    expect(await got.json()).toEqual(item);
  });

  it("lists items in id order with cursor pagination", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(((await (await create({ i })).json()) as Item).id);
      await pair.clock.advance(i % 2); // some in the same millisecond: monotonic ids still increase
    }
    expect([...ids].sort()).toEqual(ids);
    const first = (await (await pair.us.app.request("/items?limit=2")).json()) as {
      items: Item[];
      next: string;
    };
    expect(first.items.map((i) => i.id)).toEqual(ids.slice(0, 2));
    const second = (await (await pair.us.app.request(`/items?limit=2&after=${first.next}`)).json()) as {
      items: Item[];
    };
    expect(second.items.map((i) => i.id)).toEqual(ids.slice(2, 4));
    const last = (await (await pair.us.app.request(`/items?after=${ids[3]}`)).json()) as {
      items: Item[];
      next: string | null;
    };
    expect(last.items.map((i) => i.id)).toEqual([ids[4]]);
    expect(last.next).toBeNull();
  });

  it("replaces with PUT (version increments, optimistic check) and deletes", async () => {
    const item = (await (await create({ v: 1 })).json()) as Item;
    const put = await pair.us.app.request(`/items/${item.id}`, {
      ...postJson({ data: { v: 2 } }),
      method: "PUT",
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ id: item.id, data: { v: 2 }, version: 2 });
    const stale = await pair.us.app.request(`/items/${item.id}`, {
      ...postJson({ data: { v: 3 }, expectedVersion: 1 }),
      method: "PUT",
    });
    expect(stale.status).toBe(409);
    expect(((await (await pair.us.app.request(`/items/${item.id}`)).json()) as Item).version).toBe(2);
    expect((await pair.us.app.request(`/items/${item.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await pair.us.app.request(`/items/${item.id}`)).status).toBe(404);
    expect((await pair.us.app.request(`/items/${item.id}`, { method: "DELETE" })).status).toBe(404);
  });

  it("creates at most one item per Idempotency-Key and returns it again on a retry", async () => {
    const first = await create({ n: 1 }, { "idempotency-key": "order-7" });
    const again = await create({ n: 1 }, { "idempotency-key": "order-7" });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(await first.json());
    expect(pair.stores.us.size()).toBe(1);
  });
});

describe("bad input gets a 4xx with {error, detail} and writes nothing", () => {
  const cases: [string, () => Response | Promise<Response>, number, string][] = [
    ["malformed JSON", () => pair.us.app.request("/items", postJson("{not json")), 400, "malformed_json"],
    [
      "unknown field",
      () => pair.us.app.request("/items", postJson({ data: {}, colour: "red" })),
      400,
      "invalid_body",
    ],
    ["mistyped field", () => pair.us.app.request("/items", postJson({ data: "text" })), 400, "invalid_body"],
    ["body over the limit", () => create({ big: "x".repeat(4096) }), 413, "body_too_large"],
    [
      "not JSON content type",
      () =>
        pair.us.app.request("/items", {
          method: "POST",
          headers: { "content-type": "text/plain" },
          body: "{}",
        }),
      415,
      "unsupported_media_type",
    ],
    ["invalid ULID", () => pair.us.app.request("/items/42"), 400, "invalid_id"],
    ["invalid ULID cursor", () => pair.us.app.request("/items?after=zzz"), 400, "invalid_id"],
    ["limit out of range", () => pair.us.app.request("/items?limit=0"), 400, "invalid_query"],
    ["bad idempotency key", () => create({}, { "idempotency-key": "a b" }), 400, "bad_idempotency_key"],
    ["unknown route", () => pair.us.app.request("/nope"), 404, "not_found"],
  ];
  it.each(cases)("%s", async (_name, send, status, error) => {
    const res = await send();
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error: string; detail: string };
    expect(body.error).toBe(error);
    expect(body.detail.length).toBeGreaterThan(5);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
    expect((await pair.stores.us.head()).seq).toBe(0);
  });
});

describe("health and status", () => {
  it("answers healthz, readyz and region; readyz is 503 when the store is down", async () => {
    expect((await pair.us.app.request("/healthz")).status).toBe(200);
    const ready = await pair.us.app.request("/readyz");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ role: "active", epoch: 1 });
    const region = await (await pair.ie.app.request("/region")).json();
    expect(region).toMatchObject({ name: "prod-ie", role: "standby", epoch: 1, activeRegion: "prod-us" });
    pair.stores.us.down = true;
    const notReady = await pair.us.app.request("/readyz");
    expect(notReady.status).toBe(503);
    expect((await pair.us.app.request("/healthz")).status).toBe(200);
    const read = await pair.us.app.request("/items");
    expect(read.status).toBe(503);
    expect(await read.json()).toMatchObject({ error: "store_unavailable" });
  });

  it("readyz is 503 once the control record has not been readable for a lease (role unknown)", async () => {
    expect((await pair.ie.app.request("/readyz")).status).toBe(200);
    pair.control.down = true;
    await pair.clock.advance(1000); // within the 2 s lease: what the region knows still holds
    expect((await pair.ie.app.request("/readyz")).status).toBe(200);
    await pair.clock.advance(1000);
    const res = await pair.ie.app.request("/readyz");
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ready: false, role: "unknown" });
  });
});
