import { describe, expect, it } from "vitest";
import { TransportError } from "../../core/transport.ts";
import { RetryBudget } from "../../router/forward/retry-budget.ts";
import { PassiveDetector } from "../../router/health/passive-detector.ts";
import { SlidingWindow } from "../../router/health/sliding-window.ts";
import { authorityOf, pathAndQueryOf, regionUrl } from "../../router/region-url.ts";
import { toTransportError } from "../../router/transport/map-undici-error.ts";

describe("sliding window", () => {
  it("forgets events once their bucket leaves the window", () => {
    const w = new SlidingWindow(1000, 10);
    w.add(0, true);
    w.add(950, false);
    expect(w.counts(999)).toEqual({ total: 2, hits: 1 });
    expect(w.counts(1099)).toEqual({ total: 2, hits: 1 });
    expect(w.counts(1100)).toEqual({ total: 1, hits: 0 });
    expect(w.counts(2000)).toEqual({ total: 0, hits: 0 });
    w.add(5000, true);
    expect(w.counts(5000)).toEqual({ total: 1, hits: 1 });
  });
});

describe("passive detector", () => {
  const config = {
    consecutiveFailures: 3,
    errorRateWindowMs: 10_000,
    errorRateThreshold: 0.5,
    errorRateMinRequests: 4,
  };
  it("trips on consecutive failures; a success resets the run", () => {
    const p = new PassiveDetector({ ...config, errorRateMinRequests: 100 });
    p.record(0, true);
    p.record(1, true);
    p.record(2, false);
    p.record(3, true);
    p.record(4, true);
    expect(p.tripped(4)).toBe(false);
    p.record(5, true);
    expect(p.snapshot(5)).toMatchObject({ tripped: true, reason: "3 consecutive failed requests" });
  });
  it("needs the minimum volume before an error rate counts", () => {
    const p = new PassiveDetector(config);
    p.record(0, true);
    p.record(1, false);
    p.record(2, true);
    expect(p.tripped(2)).toBe(false);
    p.record(3, false);
    expect(p.snapshot(3)).toMatchObject({ tripped: true, windowRequests: 4, windowFailures: 2 });
  });
});

describe("retry budget", () => {
  it("allows max(minRetriesPerS, ratio x requests in the last second)", () => {
    const b = new RetryBudget(0.2, 2);
    expect([b.tryAcquire(0), b.tryAcquire(0), b.tryAcquire(0)]).toEqual([true, true, false]);
    for (let i = 0; i < 20; i++) b.recordRequest(10);
    expect(b.tryAcquire(10)).toBe(true);
    expect(b.tryAcquire(10)).toBe(true);
    expect(b.tryAcquire(10)).toBe(false);
    expect(b.tryAcquire(1200)).toBe(true);
  });
});

describe("region URLs", () => {
  it("keeps only path and query from any request target", () => {
    expect(pathAndQueryOf("http://evil.example:81/a/b?x=1#frag")).toBe("/a/b?x=1");
    expect(pathAndQueryOf("http://user@evil.example?x=1")).toBe("/?x=1");
    expect(pathAndQueryOf("https://evil.example")).toBe("/");
    expect(pathAndQueryOf("/p?q")).toBe("/p?q");
  });
  it("joins the configured endpoint and the path by concatenation", () => {
    expect(regionUrl("http://10.0.0.1:8101/", "//evil/x")).toBe("http://10.0.0.1:8101//evil/x");
    expect(new URL(regionUrl("http://10.0.0.1:8101", "//evil/x")).host).toBe("10.0.0.1:8101");
    expect(regionUrl("http://h/api", "/items")).toBe("http://h/api/items");
  });
  it("reads the authority for Forwarded", () => {
    expect(authorityOf("http://a:b@edge.test:8080/x")).toBe("edge.test:8080");
    expect(authorityOf("/x")).toBeUndefined();
  });
});

describe("undici error mapping", () => {
  const withCode = (code: string, name = "Error") => Object.assign(new Error("boom"), { code, name });
  it.each([
    ["ECONNREFUSED", "refused"],
    ["UND_ERR_CONNECT_TIMEOUT", "connect_timeout"],
    ["ECONNRESET", "reset"],
    ["UND_ERR_SOCKET", "reset"],
    ["UND_ERR_HEADERS_TIMEOUT", "timeout"],
    ["UND_ERR_BODY_TIMEOUT", "timeout"],
    ["UND_ERR_ABORTED", "aborted"],
    ["EWHATEVER", "unknown"],
  ])("%s -> %s", (code, kind) => {
    expect(toTransportError(withCode(code), "prod-us").kind).toBe(kind);
  });
  it("finds the code inside an AggregateError (happy eyeballs) or a cause", () => {
    expect(toTransportError(new AggregateError([withCode("ECONNREFUSED")]), "r").kind).toBe("refused");
    expect(toTransportError(new Error("x", { cause: withCode("ECONNRESET") }), "r").kind).toBe("reset");
  });
  it("passes TransportErrors through (the router's own deadline)", () => {
    const own = new TransportError("timeout", "prod-us", "no response");
    expect(toTransportError(own, "prod-us")).toBe(own);
  });
});
