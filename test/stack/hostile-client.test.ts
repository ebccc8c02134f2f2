import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningStack } from "../../stack/start-stack.ts";
import { rawExchange } from "../router/support/raw-http.ts";
import { region, stackStatus } from "./support/control.ts";
import { eventually } from "./support/http.ts";
import { startTestStack } from "./support/test-stack.ts";

// Issue 13's "Done when": one client sends 1,000 requests of many hostile kinds through the
// router of the live stack, interleaved with ordinary writes. Nothing it sends may move traffic
// (the control epoch stays), lose an acknowledged write, or stop the router answering.
let stack: RunningStack;
let port: number;
beforeAll(async () => {
  stack = await startTestStack();
  port = Number(new URL(stack.routerUrl).port);
});
afterAll(async () => {
  await stack?.close();
});

const ULID = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
const deepJson = `{"data":${'{"a":'.repeat(5000)}1${"}".repeat(5000)}}`;

function http(method: string, target: string, headers: Record<string, string> = {}, body = ""): string {
  const lines = Object.entries({ host: "items.test", connection: "close", ...headers }).map(
    ([k, v]) => `${k}: ${v}`,
  );
  if (body || method === "POST" || method === "PUT") lines.push(`content-length: ${Buffer.byteLength(body)}`);
  return `${method} ${target} HTTP/1.1\r\n${lines.join("\r\n")}\r\n\r\n${body}`;
}
const json = { "content-type": "application/json" };

/** Each hostile kind: a name and the raw bytes one request of it sends. */
const HOSTILE: [string, () => string][] = [
  ["TRACE", () => http("TRACE", "/items")],
  ["CONNECT", () => "CONNECT prod-us.internal:443 HTTP/1.1\r\nhost: prod-us.internal:443\r\n\r\n"],
  ["unknown method", () => http("BREW", "/items")],
  ["lower-case method", () => http("get", "/items")],
  ["invalid JSON", () => http("POST", "/items", json, '{"data":')],
  ["JSON nested 5,000 deep", () => http("POST", "/items", json, deepJson)],
  ["JSON null body", () => http("POST", "/items", json, "null")],
  ["JSON without data", () => http("POST", "/items", json, '{"other":1}')],
  ["text/plain body", () => http("POST", "/items", { "content-type": "text/plain" }, "hello")],
  ["body over maxBodyBytes", () => http("POST", "/items", json, `{"data":"${"x".repeat(400_000)}"}`)],
  ["bad ULID read", () => http("GET", "/items/not-a-ulid")],
  ["bad ULID write", () => http("PUT", "/items/NOT-A-ULID-AT-ALL", json, '{"data":{"x":1}}')],
  ["bad list query", () => http("GET", "/items?limit=-5&after=zzz")],
  [
    "bad Idempotency-Key",
    () => http("POST", "/items", { ...json, "idempotency-key": "a b\tc" }, '{"data":{"x":1}}'),
  ],
  [
    "Idempotency-Key too long",
    () => http("POST", "/items", { ...json, "idempotency-key": "k".repeat(400) }, '{"data":{"x":1}}'),
  ],
  ["PATCH garbage", () => http("PATCH", `/items/${ULID}`, json, "][")],
  ["DELETE without id", () => http("DELETE", "/items")],
  [
    "forged fencing epoch",
    () => http("POST", "/items", { ...json, "x-failover-epoch": "999" }, '{"data":{"x":1}}'),
  ],
  [
    "replication, encoded",
    () => http("POST", "/%5Freplication/entries", json, '{"resyncAfterSeq":0,"entries":[]}'),
  ],
  ["replication, lower-case escape", () => http("POST", "/%5freplication/entries", json, "{}")],
  ["replication, upper case", () => http("POST", "/_REPLICATION/entries", json, "{}")],
  ["replication, double-encoded", () => http("POST", "/%255Freplication/entries", json, "{}")],
  ["replication, dot segments", () => http("POST", "/items/../_replication/entries", json, "{}")],
  ["replication, encoded dots", () => http("POST", "/items/%2e%2e/_replication/entries", json, "{}")],
  ["replication, ;params", () => http("POST", "/_replication;x=1/entries", json, "{}")],
  ["replication, backslash", () => http("POST", "/\\_replication/entries", json, "{}")],
  ["replication, double slash", () => http("POST", "//_replication/entries", json, "{}")],
  ["region status", () => http("GET", "/%72egion/orphaned")],
  ["admin without token", () => http("POST", "/_router/promote", json, '{"region":"prod-ie","force":true}')],
  [
    "admin, other spelling",
    () => http("POST", "/%5Frouter/promote", json, '{"region":"prod-ie","force":true}'),
  ],
  ["absolute-form target", () => http("GET", "http://evil.example/items?limit=1")],
  [
    "Content-Length with Transfer-Encoding",
    () =>
      "POST /items HTTP/1.1\r\nhost: x\r\ncontent-length: 4\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n",
  ],
  [
    "bad chunk",
    () => "POST /items HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
  ],
  ["huge header", () => http("GET", "/items", { "x-big": "a".repeat(20_000) })],
  ["header without colon", () => "GET /items HTTP/1.1\r\nhost x\r\n\r\n"],
  ["binary garbage", () => "\x00\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n"],
  ["long request id", () => http("GET", "/items?limit=1", { "x-request-id": "r".repeat(5000) })],
];

interface Timed {
  status: number;
  ms: number;
}

async function normalWrite(n: number): Promise<Timed & { id?: string; n: number }> {
  const started = performance.now();
  const response = await fetch(`${stack.routerUrl}/items`, {
    method: "POST",
    headers: { ...json, "idempotency-key": `hostile-test-${n}` },
    body: JSON.stringify({ data: { n } }),
  });
  const body = (await response.json()) as { id?: string };
  return { status: response.status, ms: performance.now() - started, id: body.id, n };
}

async function normalRead(id: string): Promise<Timed> {
  const started = performance.now();
  const response = await fetch(`${stack.routerUrl}/items/${id}`);
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started };
}

const p50 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe("a hostile client on the live stack", () => {
  it("1,000 requests of many hostile kinds from one client: no failover, no write lost, the router keeps answering", async () => {
    const before = await stackStatus(stack);
    expect(before.router).toMatchObject({ activeRegion: "prod-us" });
    const epochBefore = before.router.epoch;
    const byKind = new Map<string, Map<number, number>>();
    const writes: Awaited<ReturnType<typeof normalWrite>>[] = [];
    const during: number[] = [];
    let deepAccepted = 0;
    const notJson = new Set<string>();
    let hostileSent = 0;
    for (let i = 0; i < 1000; i++) {
      if (i % 10 === 9) {
        const write = await normalWrite(i);
        writes.push(write);
        during.push(write.ms);
        continue;
      }
      // Each kind five times in a row: five TRACEs in a row used to fail production over.
      const [kind, payload] = HOSTILE[Math.floor(hostileSent++ / 5) % HOSTILE.length]!;
      // No HTTP answer at all (the connection dropped) is recorded as status 0 and fails below.
      const answer = await rawExchange(port, payload(), { timeoutMs: 10_000 }).catch(() => ({
        status: 0,
        headers: { "content-type": "json" } as Record<string, string>,
        body: "",
      }));
      const counts = byKind.get(kind) ?? new Map<number, number>();
      counts.set(answer.status, (counts.get(answer.status) ?? 0) + 1);
      byKind.set(kind, counts);
      // A 500 may follow a commit (issue 13 (docs/issues.md): the item was stored, replication then stalled).
      if (kind === "JSON nested 5,000 deep" && answer.status !== 400) deepAccepted++;
      // Every refusal is JSON, and nothing a client sends is answered with a stack trace.
      if (answer.status >= 400 && !answer.headers["content-type"]?.includes("json"))
        notJson.add(`${kind}: ${answer.status}`);
      if (/\n\s+at \S+ \(/.test(answer.body)) notJson.add(`${kind}: a stack trace`);
    }
    for (const [kind, counts] of byKind)
      console.info(`[measure] hostile ${kind}: ${[...counts].map(([s, n]) => `${n}x ${s}`).join(", ")}`);

    // 0 failovers: the control epoch and the active region are unchanged, no promotion decided.
    const after = await stackStatus(stack);
    expect(after.router.epoch).toBe(epochBefore);
    expect(after.router.activeRegion).toBe("prod-us");
    expect(after.router.decisions.filter((d) => d.kind === "promote")).toEqual([]);

    // Every request got an HTTP answer, every error one in JSON; refused before any region:
    // internal paths, methods.
    expect([...notJson]).toEqual([]);
    expect([...byKind].filter(([, counts]) => counts.has(0)).map(([kind]) => kind)).toEqual([]);
    expect([...byKind.get("replication, encoded")!.keys()]).toEqual([404]);
    expect([...byKind.get("TRACE")!.keys()]).toEqual([405]);
    expect([...byKind.get("admin without token")!.keys()]).toEqual([401]);

    // 0 acknowledged writes lost: every ordinary write was acknowledged and reads back.
    expect(writes).toHaveLength(100);
    expect(writes.filter((w) => w.status !== 201)).toEqual([]);
    for (const write of writes) {
      const response = await fetch(`${stack.routerUrl}/items/${write.id}`);
      expect(response.status).toBe(200);
      expect(((await response.json()) as { data: unknown }).data).toEqual({ n: write.n });
    }

    // The router still answers ordinary requests.
    const afterMs: number[] = [];
    for (let i = 0; i < 100; i++) afterMs.push((await normalRead(writes[i % writes.length]!.id!)).ms);
    console.info(
      `[measure] hostile client: ordinary writes p50 ${p50(during).toFixed(1)} ms during, reads p50 ${p50(afterMs).toFixed(1)} ms after (target < 10 ms on a quiet machine)`,
    );
    // Generous: a shared, loaded 2-core machine runs k6-less stacks at a few ms per request.
    expect(p50(afterMs)).toBeLessThan(50);

    // Replication: once the region refuses 5,000-deep JSON (the region-side half of issue 13 (docs/issues.md)),
    // nothing here can stall it, and the standby catches up. Until then a deep write that the
    // region accepted (or answered 500 after storing) may stall it: reported, not asserted.
    const lag = await eventually(
      "replication to settle",
      async () => {
        const status = await stackStatus(stack);
        const lagEntries = region(status, "prod-us").replication.lagEntries;
        return lagEntries === 0 || deepAccepted > 0 ? { lagEntries } : undefined;
      },
      10_000,
    );
    console.info(
      `[measure] hostile client: replication lag ${lag.lagEntries} entries after (${deepAccepted} deep writes accepted)`,
    );
    if (deepAccepted === 0) expect(lag.lagEntries).toBe(0);
  }, 180_000);
});
