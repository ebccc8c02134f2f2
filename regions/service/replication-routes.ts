import { Hono } from "hono";
import { z } from "zod";
import { jsonError } from "../../core/http-errors.ts";
import { type ApplyDeps, applyBatch } from "../replication/apply-batch.ts";
import { SIGNATURE_HEADERS } from "../replication/auth/sign-request.ts";
import { orphanView } from "../replication/orphaned-writes.ts";
import type { ReplicationBatch } from "../replication/protocol.ts";
import { readJsonBody } from "./read-json-body.ts";

const position = z.object({ seq: z.number().int().min(0), epoch: z.number().int().min(0) });
const batchSchema = z.object({
  from: z.string().min(1),
  epoch: z.number().int().min(1),
  senderHead: position,
  prev: position.nullable(),
  entries: z.array(
    z.object({
      seq: z.number().int().min(1),
      epoch: z.number().int().min(1),
      origin: z.string(),
      atMs: z.number(),
      op: z.union([
        z.object({ kind: z.literal("put"), item: z.looseObject({ id: z.string() }) }),
        z.object({ kind: z.literal("delete"), id: z.string() }),
      ]),
      idempotencyKey: z.string().optional(),
    }),
  ),
  resyncAfterSeq: z.number().int().min(0).optional(),
});

/** The standby's replication endpoint. Refusals are 409 with the reason, so the sender can react. */
export function replicationRoutes(deps: ApplyDeps): Hono {
  const app = new Hono();
  app.post("/entries", async (c) => {
    // The text the listener already read and verified (cached by Hono), parsed once here.
    const batch = await readJsonBody(c, batchSchema, undefined, "invalid_batch");
    if (batch instanceof Response) return batch;
    // The listener verified the signed epoch header (auth/require-signature.ts); the body must agree.
    if (c.req.header(SIGNATURE_HEADERS.epoch) !== String(batch.epoch)) {
      return jsonError(c, 401, "bad_signature", "the batch's epoch is not the signed epoch");
    }
    try {
      const reply = await applyBatch(deps, batch as unknown as ReplicationBatch);
      return c.json(reply, reply.ok ? 200 : 409);
    } catch (error) {
      return c.json({ ok: false, error: "store_unavailable", detail: (error as Error).message }, 503);
    }
  });
  // An operator re-applied this orphan through the active region's write path (`failover
  // orphans reapply`, which signs with the replication key): record where it went.
  app.post("/orphans/:id/reapplied", async (c) => {
    const reapplied = await readJsonBody(c, reappliedSchema);
    if (reapplied instanceof Response) return reapplied;
    const result = await deps.store.markOrphanReapplied(c.req.param("id"), {
      atMs: deps.clock.nowMs(),
      ...reapplied,
    });
    if (result.ok) return c.json(orphanView(result.orphan));
    if (result.reason === "not_found")
      return jsonError(c, 404, "not_found", `no orphan ${c.req.param("id")}`);
    return jsonError(c, 409, "already_reapplied", `orphan ${c.req.param("id")} was re-applied already`, {
      orphan: orphanView(result.orphan),
    });
  });
  return app;
}

const reappliedSchema = z
  .object({ region: z.string().min(1).max(64), seq: z.number().int().min(1), epoch: z.number().int().min(1) })
  .strict();
