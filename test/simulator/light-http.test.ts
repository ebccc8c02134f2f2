import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { describe, expect, it } from "vitest";
import { LightHeaders } from "../../simulator/transport/light-headers.ts";
import { LightResponse, responseParts } from "../../simulator/transport/light-response.ts";
import { WireRequest } from "../../simulator/transport/wire-request.ts";

const NativeResponse = Response;

/** What a caller can observe of a response, read the way the product's code reads one. */
async function observe(response: Response) {
  const headers = [...response.headers.entries()];
  const text = await response.text();
  const again = await response.text().then(
    () => "read twice",
    (error: unknown) => (error instanceof TypeError ? "TypeError" : String(error)),
  );
  return { status: response.status, ok: response.ok, headers, text, bodyUsed: response.bodyUsed, again };
}

describe("LightResponse", () => {
  const cases: [string, BodyInit | null, ResponseInit | undefined][] = [
    [
      "JSON with a header record",
      '{"a":1}',
      { status: 201, headers: { "Content-Type": "application/json", "X-Region": "prod-us" } },
    ],
    ["text with no content type", "plain", undefined],
    [
      "bytes",
      new TextEncoder().encode("bytes!"),
      {
        status: 200,
        headers: [
          ["x-a", "1"],
          ["X-A", "2"],
        ],
      },
    ],
    ["no body", null, { status: 204, headers: new Headers({ "retry-after": "1" }) }],
    [
      "a 503 with set-cookie",
      "{}",
      {
        status: 503,
        headers: new Headers([
          ["set-cookie", "a=1"],
          ["set-cookie", "b=2"],
        ]),
      },
    ],
  ];
  for (const [name, body, init] of cases) {
    it(`reads like the native Response: ${name}`, async () => {
      const copy = body instanceof Uint8Array ? body.slice() : body;
      const light = new LightResponse(body, init) as unknown as Response;
      const native = new NativeResponse(copy, init);
      expect(await observe(light)).toEqual(await observe(native));
    });
  }

  it("is a Response to instanceof, and so is a native one", () => {
    expect(new LightResponse("x")).toBeInstanceOf(NativeResponse);
    expect(new NativeResponse("x")).toBeInstanceOf(LightResponse);
  });

  it("rejects what the native class rejects", () => {
    expect(() => new LightResponse("x", { status: 99 })).toThrow(RangeError);
    expect(() => new LightResponse("x", { status: 204 })).toThrow(TypeError);
  });

  it("hands its parts to the wire without building a native Response, and its stream on demand", async () => {
    const light = new LightResponse('{"id":1}', {
      status: 200,
      headers: { "Content-Type": "application/json" },
    });
    light.headers.set("x-region", "prod-ie");
    expect(responseParts(light as unknown as Response)).toEqual({
      status: 200,
      headers: { "content-type": "application/json", "x-region": "prod-ie" },
      body: '{"id":1}',
    });
    const reader = light.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('{"id":1}');
    expect(responseParts(light as unknown as Response)).toBeUndefined();
    expect(responseParts(new NativeResponse("x"))).toBeUndefined();
  });

  it("clones: both copies read the same body once each", async () => {
    const light = new LightResponse("twice", { status: 202 }) as unknown as Response;
    const clone = light.clone();
    expect(await light.text()).toBe("twice");
    expect(await clone.text()).toBe("twice");
    expect(() => light.clone()).toThrow(TypeError);
  });
});

describe("LightHeaders", () => {
  it("matches native Headers: case-insensitive, joined repeats, sorted iteration, set-cookie kept apart", () => {
    const ops = (h: Headers) => {
      h.set("X-B", "1");
      h.append("x-a", "1");
      h.append("X-A", "2");
      h.append("Set-Cookie", "a=1");
      h.append("set-cookie", "b=2");
      h.delete("x-missing");
      return {
        a: h.get("X-a"),
        has: h.has("x-B"),
        none: h.get("nope"),
        all: [...h],
        cookies: h.getSetCookie(),
      };
    };
    expect(ops(new LightHeaders() as unknown as Headers)).toEqual(ops(new Headers()));
  });

  it("takes Set-Cookie from a record, as a list or a single field", () => {
    expect(new LightHeaders({ "set-cookie": ["a=1", "b=2"], "x-a": "1" }).getSetCookie()).toEqual([
      "a=1",
      "b=2",
    ]);
    expect([...(new LightHeaders({ "set-cookie": "a=1" }) as unknown as Headers)]).toEqual([
      ["set-cookie", "a=1"],
    ]);
  });

  it("never changes the record it was built on (copy on first write)", () => {
    const record = { "x-a": "1" };
    const headers = new LightHeaders(record);
    headers.set("x-a", "2");
    headers.set("x-b", "3");
    expect(record).toEqual({ "x-a": "1" });
    expect(headers.get("x-a")).toBe("2");
  });
});

describe("WireRequest through a Hono app", () => {
  const app = new Hono();
  app.post(
    "/items",
    bodyLimit({ maxSize: 20, onError: (c) => c.json({ error: "too_large" }, 413) }),
    async (c) =>
      c.json({
        type: c.req.header("Content-Type"),
        key: c.req.header("idempotency-key"),
        body: await c.req.json(),
      }),
  );
  app.get("/items/:id", (c) => c.json({ id: c.req.param("id"), q: c.req.query("x") ?? null }));

  it("serves it as it serves a native Request", async () => {
    const headers = { "content-type": "application/json", "idempotency-key": "k1" };
    const body = '{"n":1}';
    const light = await app.fetch(
      new WireRequest("http://items.sim/items", "POST", headers, body) as unknown as Request,
    );
    const native = await app.fetch(new Request("http://items.sim/items", { method: "POST", headers, body }));
    expect(light.status).toBe(200);
    expect(await light.json()).toEqual(await native.json());
    const get = await app.fetch(
      new WireRequest("http://items.sim/items/abc?x=1", "GET", {}) as unknown as Request,
    );
    expect(await get.json()).toEqual({ id: "abc", q: "1" });
  });

  it("carries Content-Length, so a body over the limit is refused without reading it", async () => {
    const request = new WireRequest(
      "http://items.sim/items",
      "POST",
      {},
      '{"data":"far too long for twenty bytes"}',
    );
    expect(request.headers.get("content-length")).toBe("40");
    const response = await app.fetch(request as unknown as Request);
    expect(response.status).toBe(413);
  });

  it("has a body that can be read once, as a stream or as text, not both", async () => {
    const streamed = new WireRequest("http://x/", "POST", {}, "abc");
    const reader = streamed.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("abc");
    await expect(streamed.text()).rejects.toThrow(TypeError);
    const texted = new WireRequest("http://x/", "POST", {}, "abc");
    expect(await texted.text()).toBe("abc");
    await expect(texted.text()).rejects.toThrow(TypeError);
    const bodiless = new WireRequest("http://x/", "GET", {});
    expect(bodiless.body).toBeNull();
    expect([await bodiless.text(), await bodiless.text()]).toEqual(["", ""]);
  });
});
