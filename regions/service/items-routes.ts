import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ReplicationConfig, WriteLimits } from "../../config/schema.ts";
import type { Clock } from "../../core/clock.ts";
import { jsonError } from "../../core/http-errors.ts";
import type { Replicator } from "../replication/replicator.ts";
import type { Item, LogEntry, Store, WriteOp } from "../store/store.ts";
import type { ControlView } from "./control-view.ts";
import { type IdFactory, isUlid } from "./ids.ts";
import { createItemBody, describeZodError, listQuery, replaceItemBody } from "./item-bodies.ts";
import { admitRead } from "./read-gate.ts";
import { readJsonBody } from "./read-json-body.ts";
import { ReadVisibility } from "./read-visibility.ts";
import type { RegionMetrics } from "./region-metrics.ts";
import type { SerialQueue } from "./serial-queue.ts";
import { admitWrite, EPOCH_HEADER, lostLeaseResponse } from "./write-gate.ts";
import { firstAttemptApplied, replayAppliedWrite, writeKeyOf } from "./write-identity.ts";

export interface ItemsDeps {
  regionName: string;
  store: Store;
  controlView: ControlView;
  replicator: Replicator;
  replication: ReplicationConfig;
  writes: SerialQueue;
  newId: IdFactory;
  clock: Clock;
  maxBodyBytes: number;
  /** Depth, keys and string sizes a write may hold (json-limits.ts); unchecked when omitted. */
  writeLimits?: WriteLimits;
  retryAfterS: number;
  metrics: RegionMetrics;
  /** Told of every write acknowledged to a client, as it is (observability; the simulator's checker). */
  onAcknowledged?: (ack: WriteAck) => void;
}

/** A write this region acknowledged: its log position and whether the standby had confirmed it. */
export interface WriteAck {
  seq: number;
  epoch: number;
  degraded: boolean;
}

const JSON_TYPE = { "Content-Type": "application/json" } as const;

const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The items API as a Hono app, and its hot handlers for a direct dispatch (core/direct-context.ts). */
export interface ItemsRoutes {
  app: Hono;
  /** GET /items/:id. */
  readItem: (c: Context) => Promise<Response>;
  /** POST /items, with its body limit. */
  createItem: (c: Context) => Promise<Response>;
}

export function itemsRoutes(deps: ItemsDeps): ItemsRoutes {
  const app = new Hono();
  const visibility = new ReadVisibility(deps.replicator, deps.replication, deps.controlView);
  const limit = bodyLimit({
    maxSize: deps.maxBodyBytes,
    onError: (c) => jsonError(c, 413, "body_too_large", `request body exceeds ${deps.maxBodyBytes} bytes`),
  });

  app.get("/", async (c) => {
    const query = listQuery.safeParse(c.req.query());
    if (!query.success) return jsonError(c, 400, "invalid_query", describeZodError(query.error));
    const { after, limit: pageSize } = query.data;
    if (after !== undefined && !isUlid(after)) return badId(c, after, "after");
    const refused = await admitRead(c, deps.controlView, deps.regionName, deps.retryAfterS);
    if (refused) return refused;
    const unconfirmed = await visibility.beforeRead(c, deps.retryAfterS);
    if (unconfirmed) return unconfirmed;
    const items = await deps.store.listItems(after, pageSize);
    const last = items[items.length - 1];
    return c.json({ items, next: items.length === pageSize && last ? last.id : null });
  });

  const readItem = async (c: Context): Promise<Response> => {
    const id = c.req.param("id")!;
    if (!isUlid(id)) return badId(c, id, "id");
    // The gates answer at once unless they must wait (a renewal, the standby's confirmation):
    // awaited only then, the commonest read suspends once, on the store (issue 18).
    const admitting = admitRead(c, deps.controlView, deps.regionName, deps.retryAfterS);
    const refused = admitting instanceof Promise ? await admitting : admitting;
    if (refused) return refused;
    const confirming = visibility.beforeRead(c, deps.retryAfterS, id);
    const unconfirmed = confirming instanceof Promise ? await confirming : confirming;
    if (unconfirmed) return unconfirmed;
    if (deps.store.getItemJson) {
      const text = await deps.store.getItemJson(id);
      // What c.json(item) sends: the same text and Content-Type.
      return text !== undefined
        ? c.body(text, 200, JSON_TYPE)
        : jsonError(c, 404, "not_found", `no item ${id}`);
    }
    const item = await deps.store.getItem(id);
    return item ? c.json(item) : jsonError(c, 404, "not_found", `no item ${id}`);
  };
  app.get("/:id", readItem);

  const createItem = async (c: Context): Promise<Response> => {
    const key = c.req.header("idempotency-key");
    if (key !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(key)) {
      return jsonError(
        c,
        400,
        "bad_idempotency_key",
        "Idempotency-Key must be 1-255 visible ASCII characters",
      );
    }
    const body = await readJsonBody(c, createItemBody, deps.writeLimits);
    if (body instanceof Response) return body;
    const outcome = await deps.writes.run(async () => {
      const admitted = await admitWrite(c, deps.controlView, deps.regionName, deps.retryAfterS);
      if (admitted instanceof Response) return admitted;
      if (key !== undefined) {
        const existingId = await deps.store.getIdempotentItemId(key);
        if (existingId !== undefined) return replay(existingId);
      }
      const nowMs = deps.clock.nowMs();
      const item: Item = {
        id: deps.newId(),
        data: body.data,
        createdAtMs: nowMs,
        updatedAtMs: nowMs,
        version: 1,
      };
      return commit({ kind: "put", item }, admitted.epoch, key);
    });
    if (outcome instanceof Response) return outcome;
    return finish(c, outcome.entry, 201, outcome.entry.op.kind === "put" ? outcome.entry.op.item : undefined);

    async function replay(itemId: string): Promise<Response> {
      const unconfirmed = await visibility.beforeRead(c, deps.retryAfterS, itemId);
      if (unconfirmed) return unconfirmed;
      const item = await deps.store.getItem(itemId);
      c.header("idempotent-replayed", "true");
      return item
        ? c.json(item, 200)
        : jsonError(c, 409, "idempotent_item_deleted", `item ${itemId} was deleted`);
    }
  };
  app.post("/", limit, createItem);
  /** POST /items as Hono runs it: the body limit, then the handler. */
  const createItemLimited = async (c: Context): Promise<Response> => {
    let created: Response | undefined;
    const refused = await limit(c, async () => {
      created = await createItem(c);
    });
    return refused ?? created!;
  };

  app.put("/:id", limit, async (c) => {
    const id = c.req.param("id");
    if (!isUlid(id)) return badId(c, id, "id");
    const body = await readJsonBody(c, replaceItemBody, deps.writeLimits);
    if (body instanceof Response) return body;
    const writeKey = writeKeyOf(c);
    const outcome = await deps.writes.run(async () => {
      const admitted = await admitWrite(c, deps.controlView, deps.regionName, deps.retryAfterS);
      if (admitted instanceof Response) return admitted;
      if (await firstAttemptApplied(deps.store, writeKey))
        return replayAppliedWrite(c, deps.store, visibility, id, deps.retryAfterS, "PUT");
      const current = await deps.store.getItem(id);
      if (body.expectedVersion !== undefined && current?.version !== body.expectedVersion) {
        return jsonError(
          c,
          409,
          "version_conflict",
          `item ${id} is at version ${current?.version ?? "none"}`,
        );
      }
      const nowMs = deps.clock.nowMs();
      const item: Item = current
        ? { ...current, data: body.data, updatedAtMs: nowMs, version: current.version + 1 }
        : { id, data: body.data, createdAtMs: nowMs, updatedAtMs: nowMs, version: 1 };
      return commit({ kind: "put", item }, admitted.epoch, writeKey);
    });
    if (outcome instanceof Response) return outcome;
    const op = outcome.entry.op;
    return finish(c, outcome.entry, 200, op.kind === "put" ? op.item : undefined);
  });

  app.delete("/:id", async (c) => {
    const id = c.req.param("id");
    if (!isUlid(id)) return badId(c, id, "id");
    const writeKey = writeKeyOf(c);
    const outcome = await deps.writes.run(async () => {
      const admitted = await admitWrite(c, deps.controlView, deps.regionName, deps.retryAfterS);
      if (admitted instanceof Response) return admitted;
      if (await firstAttemptApplied(deps.store, writeKey))
        return replayAppliedWrite(c, deps.store, visibility, id, deps.retryAfterS, "DELETE");
      if (!(await deps.store.getItem(id))) return jsonError(c, 404, "not_found", `no item ${id}`);
      return commit({ kind: "delete", id }, admitted.epoch, writeKey);
    });
    if (outcome instanceof Response) return outcome;
    return finish(c, outcome.entry, 204);
  });

  /** Appends one entry at head + 1 (inside the write queue, so seq is never contended here). */
  async function commit(
    op: WriteOp,
    epoch: number,
    idempotencyKey?: string,
  ): Promise<{ entry: LogEntry } | Response> {
    const head = await deps.store.head();
    const entry: LogEntry = {
      seq: head.seq + 1,
      epoch,
      origin: deps.regionName,
      atMs: deps.clock.nowMs(),
      op,
    };
    if (idempotencyKey !== undefined) entry.idempotencyKey = idempotencyKey;
    const result = await deps.store.commit(entry);
    if (!result.ok) {
      // Another process writes to this region's store: a configuration error worth a clear 503.
      const detail =
        result.reason === "seq_conflict" ? `log head moved to ${result.headSeq}` : "idempotency key taken";
      // x-region as the service's middleware sets it, so the direct path's answer is the same.
      return new Response(JSON.stringify({ error: "write_conflict", detail }), {
        status: 503,
        headers: { "content-type": "application/json", "x-region": deps.regionName },
      });
    }
    deps.replicator.notify(entry);
    visibility.committed(entry);
    return { entry };
  }

  /** Async mode acknowledges now; sync mode only once the standby holds the entry. */
  async function finish(
    c: Parameters<typeof jsonError>[0],
    entry: LogEntry,
    status: 200 | 201 | 204,
    item?: Item,
  ): Promise<Response> {
    const headers: Record<string, string> = {
      "x-log-seq": String(entry.seq),
      [EPOCH_HEADER]: String(entry.epoch),
    };
    if (deps.replication.mode === "sync") {
      const outcome = await deps.replicator.waitFor(entry.seq, deps.replication.syncTimeoutMs);
      if (outcome === "timeout") {
        deps.metrics.writes.inc({ result: "unconfirmed" });
        c.header("Retry-After", String(deps.retryAfterS));
        return jsonError(
          c,
          503,
          "replication_timeout",
          `stored in ${deps.regionName} but the standby did not confirm within ${deps.replication.syncTimeoutMs} ms; ` +
            "the write is not acknowledged and may not survive a failover; retry it (with the same Idempotency-Key)",
          { seq: entry.seq },
        );
      }
      // "degraded": acknowledged by this region only, after it recorded in the control record
      // that it has no synchronous standby (degrade-to-async; see replicator.ts).
      if (outcome === "degraded") headers["x-replication"] = "degraded";
    }
    // The lease is checked at acknowledgement, not only at admission: a promotion may have
    // happened while the write committed or waited for the standby.
    const lost = lostLeaseResponse(
      c,
      deps.controlView,
      deps.regionName,
      entry.epoch,
      entry.seq,
      deps.retryAfterS,
    );
    if (lost !== undefined) {
      deps.metrics.writes.inc({ result: "unconfirmed" });
      return lost;
    }
    const degraded = headers["x-replication"] !== undefined;
    deps.metrics.writes.inc({ result: degraded ? "acknowledged_degraded" : "acknowledged" });
    deps.onAcknowledged?.({ seq: entry.seq, epoch: entry.epoch, degraded });
    if (status === 204) return c.body(null, status, headers);
    return c.json(item, status, headers);
  }

  return { app, readItem, createItem: createItemLimited };
}

function badId(c: Parameters<typeof jsonError>[0], value: string, field: string): Response {
  return jsonError(
    c,
    400,
    "invalid_id",
    `${field} "${value.slice(0, 40)}" is not a ULID (26 Crockford base32 characters)`,
  );
}
