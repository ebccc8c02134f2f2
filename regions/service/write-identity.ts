import type { Context } from "hono";
import { jsonError } from "../../core/http-errors.ts";
import type { Store } from "../store/store.ts";
import type { ReadVisibility } from "./read-visibility.ts";

/**
 * The header a router sets on a PUT or DELETE in sync mode: one id per client request, the same on the
 * first attempt and on the retry it may send to the new active region after a failover
 * (router/forward/write-identity.ts). The router drops any value a client sends.
 */
export const WRITE_ID_HEADER = "x-failover-write-id";

const WRITE_ID_PATTERN = /^[0-9A-Za-z]{10,64}$/;

/**
 * The idempotency key a tagged write is committed under. It contains a space, which a client's
 * Idempotency-Key cannot (visible ASCII only, see items-routes.ts), so the two never collide.
 */
export function writeKeyOf(c: Context): string | undefined {
  const id = c.req.header(WRITE_ID_HEADER);
  return id !== undefined && WRITE_ID_PATTERN.test(id) ? `router-write ${id}` : undefined;
}

/**
 * Retries cannot reorder (issue 19 (docs/issues.md)): a PUT or DELETE retried on the new active region after a failover
 * must not apply a second time if its first attempt already reached this region (replicated
 * before the failover). Applied again, it would bring back a value that a later write had
 * overwritten and readers had seen (338, then 343, then 338): one write taking effect twice.
 * The key travels with the log entry (LogEntry.idempotencyKey), so the standby records it when it
 * applies the entry, on either store, and the promoted standby finds it here.
 *
 * A retry whose first attempt never reached this region applies normally: that attempt was
 * never visible to a reader (read-visibility.ts), so this is the write's first and only effect.
 */
export async function firstAttemptApplied(store: Store, writeKey: string | undefined): Promise<boolean> {
  return writeKey !== undefined && (await store.getIdempotentItemId(writeKey)) !== undefined;
}

/**
 * The answer to a retried write whose first attempt was applied, marked `idempotent-replayed`
 * (as a replayed POST is), once readers may see it. A PUT answers 200 with the item as it is
 * now. A DELETE answers 204: applied again, it would delete a value another client wrote after
 * the first attempt (404, then that value, then 404: one delete taking effect twice).
 */
export async function replayAppliedWrite(
  c: Context,
  store: Store,
  visibility: ReadVisibility,
  id: string,
  retryAfterS: number,
  method: "PUT" | "DELETE",
): Promise<Response> {
  const unconfirmed = await visibility.beforeRead(c, retryAfterS, id);
  if (unconfirmed) return unconfirmed;
  c.header("idempotent-replayed", "true");
  if (method === "DELETE") return c.body(null, 204);
  const item = await store.getItem(id);
  return item
    ? c.json(item, 200)
    : jsonError(c, 409, "idempotent_item_deleted", `item ${id} was deleted after this write was applied`);
}
