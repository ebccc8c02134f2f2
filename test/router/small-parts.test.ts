import { describe, expect, it } from "vitest";
import { TransportError } from "../../core/transport.ts";
import { RetryBudget } from "../../router/forward/retry-budget.ts";
import { ClientSpread } from "../../router/health/client-spread.ts";
import { PassiveDetector } from "../../router/health/passive-detector.ts";
import { outcomeOfFailure, outcomeOfStatus } from "../../router/health/request-outcome.ts";
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
    errorRateMinClients: 2,
  };
  it("trips on requests in a row that got no answer; any answer resets the run", () => {
    const p = new PassiveDetector({ ...config, errorRateMinRequests: 100 });
    p.record(0, "no_answer", "a");
    p.record(1, "no_answer", "a");
    p.record(2, "ok", "a");
    p.record(3, "no_answer", "a");
    p.record(4, "no_answer", "a");
    p.record(5, "error_answer", "a");
    p.record(6, "no_answer", "a");
    p.record(7, "no_answer", "a");
    expect(p.tripped(7)).toBe(false);
    p.record(8, "no_answer", "a");
    expect(p.snapshot(8)).toMatchObject({ tripped: true, reason: "3 consecutive requests got no answer" });
  });
  it("never counts 5xx answers in a row (issue 13: five bad requests flipped production)", () => {
    const p = new PassiveDetector({ ...config, errorRateMinRequests: 100 });
    for (let i = 0; i < 50; i++) p.record(i, "error_answer", "one-client");
    expect(p.snapshot(50)).toMatchObject({ tripped: false, consecutiveFailures: 0, windowFailures: 50 });
  });
  it("needs the minimum volume before an error rate counts", () => {
    const p = new PassiveDetector(config);
    p.record(0, "error_answer", "a");
    p.record(1, "ok", "b");
    p.record(2, "error_answer", "b");
    expect(p.tripped(2)).toBe(false);
    p.record(3, "ok", "a");
    expect(p.snapshot(3)).toMatchObject({ tripped: true, windowRequests: 4, windowFailures: 2 });
  });
  it("one client alone never trips the error rate, however many failures it causes", () => {
    const p = new PassiveDetector(config);
    for (let i = 0; i < 1000; i++) p.record(i, "error_answer", "hostile");
    for (let i = 0; i < 10; i++) p.record(1000 + i, "ok", `user-${i}`);
    expect(p.snapshot(1010)).toMatchObject({ tripped: false, windowFailingClients: 1 });
    p.record(1011, "error_answer", "user-1");
    expect(p.snapshot(1011)).toMatchObject({ tripped: true, windowFailingClients: 2 });
  });
  it("ignores outcomes that say nothing about the region", () => {
    const p = new PassiveDetector({ ...config, errorRateMinRequests: 1 });
    for (let i = 0; i < 10; i++) p.record(i, "ignored", `c${i}`);
    expect(p.snapshot(10)).toMatchObject({ windowRequests: 0, consecutiveFailures: 0 });
  });
});

describe("client spread", () => {
  it("counts distinct clients in the window, up to its cap", () => {
    const s = new ClientSpread(1000, 3, 10);
    s.add(0, "a");
    s.add(10, "a");
    s.add(500, "b");
    expect(s.distinct(600)).toBe(2);
    s.add(600, "c");
    s.add(601, "d");
    expect(s.distinct(700)).toBe(3);
    expect(s.distinct(1150)).toBe(3);
    expect(s.distinct(1650)).toBe(2);
  });
});

describe("request outcomes", () => {
  it("counts only region-health evidence", () => {
    expect(
      ["refused", "reset", "connect_timeout", "timeout"].map((k) => outcomeOfFailure(k as never)),
    ).toEqual(["no_answer", "no_answer", "no_answer", "no_answer"]);
    expect(outcomeOfFailure("unknown")).toBe("ignored");
    expect(outcomeOfFailure("aborted")).toBe("ignored");
    expect([400, 404, 405, 413, 499, 501, 505].map((s) => outcomeOfStatus(s))).toEqual(Array(7).fill("ok"));
    expect([500, 502, 503, 504].map((s) => outcomeOfStatus(s))).toEqual(Array(4).fill("error_answer"));
    expect(outcomeOfStatus(503, true)).toBe("ok");
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
    expect([
      authorityOf("http://h.test?x=/"),
      authorityOf("http://h.test#/"),
      authorityOf("http://h.test"),
    ]).toEqual(["h.test", "h.test", "h.test"]);
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
