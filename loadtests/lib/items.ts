import { check } from "k6";
import exec from "k6/execution";
import http, { type RefinedResponse } from "k6/http";
import { Counter } from "k6/metrics";
import { BASE_URL } from "./env.ts";

/** Reads of an id this VU created that came back 404 (a write lost to asynchronous replication). */
export const readsMissing = new Counter("reads_missing");
/** Writes the router acknowledged (2xx). */
export const writesAcknowledged = new Counter("writes_acknowledged");

// 404 on a read is an answer, not a failure of the request path; it is counted in reads_missing.
const readExpected = http.expectedStatuses(200, 404);
type Res = RefinedResponse<"text">;
const JSON_HEADERS = { "content-type": "application/json" };

/** Ids this VU created, for reads and updates of real items. */
const created: string[] = [];

/**
 * Logged so `failover loadtest` can read every acknowledged write back after the run, with the
 * value it wrote: the item's final value must be its last acknowledged one (a lost update fails).
 */
function recordAck(kind: string, id: string, res: RefinedResponse<"text">, data: unknown): void {
  writesAcknowledged.add(1);
  console.log(`ack ${kind} ${id} ${res.headers["X-Served-By"] ?? "?"} ${JSON.stringify(data)}`);
}

/** An update with no 2xx may still have been applied: its value is an acceptable final value too. */
function recordUnacknowledged(id: string, data: unknown): void {
  console.log(`nack update ${id} - ${JSON.stringify(data)}`);
}

/**
 * setup(): `count` items created before any scenario runs, for VUs to read from their first
 * iteration (knowItems) and for the failover script's calibration (lib/calibration.ts).
 */
export function createSetupItems(count: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = http.post(`${BASE_URL}/items`, JSON.stringify({ data: { setup: i } }), {
      headers: { ...JSON_HEADERS, "idempotency-key": `setup-${i}` },
      tags: { setup: "yes" },
    });
    const id = res.status === 201 || res.status === 200 ? (res.json("id") as string) : undefined;
    if (id) ids.push(id);
  }
  return ids;
}

/**
 * A VU that has created nothing yet reads these (items created in setup()) instead of listing:
 * a list waits behind the writes in flight (regions/service/read-visibility.ts), and the
 * simulator's clients read recently created items from the start, never a list.
 */
export function knowItems(ids: readonly string[]): void {
  if (created.length === 0) created.push(...ids);
}

export function createItem(tags: Record<string, string>, idempotent = true): Res {
  const key = `${exec.vu.idInTest}-${exec.vu.iterationInInstance}-${exec.scenario.name}`;
  const headers: Record<string, string> = { ...JSON_HEADERS };
  if (idempotent) headers["idempotency-key"] = key;
  const data = { key, at: Date.now() };
  const res = http.post(`${BASE_URL}/items`, JSON.stringify({ data }), {
    headers,
    tags: { ...tags, op: "create", idempotent: idempotent ? "yes" : "no" },
  });
  const ok = check(res, { "create answered 201/200": (r) => r.status === 201 || r.status === 200 });
  if (!ok) return res;
  const id = (res.json("id") as string | undefined) ?? "";
  created.push(id);
  if (created.length > 200) created.shift();
  recordAck("create", id, res, data);
  return res;
}

export function readItem(tags: Record<string, string>): Res {
  const id = created[Math.floor(Math.random() * created.length)];
  if (id === undefined) {
    const res = http.get(`${BASE_URL}/items?limit=10`, { tags: { ...tags, op: "list", idempotent: "yes" } });
    check(res, { "list answered 200": (r) => r.status === 200 });
    return res;
  }
  const res = http.get(`${BASE_URL}/items/${id}`, {
    tags: { ...tags, op: "read", idempotent: "yes" },
    responseCallback: readExpected,
  });
  if (res.status === 404) readsMissing.add(1);
  check(res, { "read answered 200/404": (r) => r.status === 200 || r.status === 404 });
  return res;
}

export function updateItem(tags: Record<string, string>): Res {
  const id = created[Math.floor(Math.random() * created.length)];
  if (id === undefined) return createItem(tags);
  const data = { updatedAt: Date.now(), by: `${exec.vu.idInTest}-${exec.vu.iterationInInstance}` };
  const res = http.put(`${BASE_URL}/items/${id}`, JSON.stringify({ data }), {
    headers: JSON_HEADERS,
    tags: { ...tags, op: "update", idempotent: "yes" },
  });
  if (check(res, { "update answered 200": (r) => r.status === 200 })) recordAck("update", id, res, data);
  else recordUnacknowledged(id, data);
  return res;
}

/** One request of a read-heavy mix: `writeShare` of them writes. */
export function mixedRequest(writeShare: number, tags: Record<string, string>): Res {
  const roll = Math.random();
  if (roll < writeShare * 0.7) return createItem(tags);
  if (roll < writeShare) return updateItem(tags);
  return readItem(tags);
}
