import type { Context } from "hono";
import type { ControlRecord } from "../../core/control.ts";
import { jsonError } from "../../core/http-errors.ts";
import type { ControlView } from "./control-view.ts";

/** The header a router sets on forwarded writes and reads: the epoch it believes current. */
export const EPOCH_HEADER = "x-failover-epoch";

/** The epoch a router tagged the request with; undefined if untagged; a JSON 400 if malformed. */
export function taggedEpochOf(c: Context): number | undefined | Response {
  const tagged = c.req.header(EPOCH_HEADER);
  if (tagged === undefined) return undefined;
  const epoch = Number(tagged);
  if (Number.isInteger(epoch) && epoch >= 1) return epoch;
  return jsonError(c, 400, "bad_epoch_header", `${EPOCH_HEADER} must be a positive integer, got "${tagged}"`);
}

/**
 * Only the active region accepts writes, only in the current epoch, and only under its lease
 * (lease.ts). Returns the control record to write under, or the response refusing the write
 * (nothing has been written). The check reads the lease this region holds, not the record
 * across the ocean; a write tagged with a newer epoch than the lease knows renews it first (a
 * router has promoted this region), and a promoted region holds the write until its
 * predecessor's lease has run out. The lease is checked again before the write is acknowledged
 * (`acknowledgeable`), so the check is at commit, not only before it.
 */
export async function admitWrite(
  c: Context,
  view: ControlView,
  regionName: string,
  retryAfterS: number,
): Promise<ControlRecord | Response> {
  const taggedEpoch = taggedEpochOf(c);
  if (taggedEpoch instanceof Response) return taggedEpoch;
  const renewed = await renewIfBehind(view, taggedEpoch);
  if (renewed !== undefined) return unavailable(c, retryAfterS, renewed);
  let state = view.leaseState();
  if (state.kind === "unknown")
    return unavailable(c, retryAfterS, "the control record has not been read yet");
  c.header(EPOCH_HEADER, String(state.record.epoch));
  if (state.kind !== "standby" && taggedEpoch !== undefined && taggedEpoch !== state.record.epoch) {
    return staleEpoch(c, taggedEpoch, state.record);
  }
  state = await view.settledLease();
  if (state.kind === "unknown") return unavailable(c, retryAfterS, "the control record is no longer known");
  const { record } = state;
  if (state.kind === "standby") {
    c.header("Retry-After", String(retryAfterS));
    return jsonError(
      c,
      503,
      "not_active",
      `${regionName} is the standby; writes go to ${record.activeRegion} (epoch ${record.epoch})`,
      { activeRegion: record.activeRegion, epoch: record.epoch },
    );
  }
  if (state.kind !== "held") {
    c.header("Retry-After", String(retryAfterS));
    return jsonError(
      c,
      503,
      "lease_expired",
      `${regionName} could not renew its lease on epoch ${record.epoch} from the control plane` +
        `${view.snapshot().error ? ` (${view.snapshot().error})` : ""}; it acknowledges no writes until it can`,
      { activeRegion: record.activeRegion, epoch: record.epoch },
    );
  }
  if (taggedEpoch !== undefined && taggedEpoch !== record.epoch) return staleEpoch(c, taggedEpoch, record);
  return record;
}

function staleEpoch(c: Context, taggedEpoch: number, record: ControlRecord): Response {
  return jsonError(
    c,
    409,
    "stale_epoch",
    `write tagged with epoch ${taggedEpoch} but the current epoch is ${record.epoch} (active: ${record.activeRegion})`,
    { activeRegion: record.activeRegion, epoch: record.epoch },
  );
}

/**
 * The answer for a write that was stored but can no longer be acknowledged: the lease on its
 * epoch ran out before it could be (the region may have been fenced by a promotion). Undefined
 * when it may be acknowledged.
 */
export function lostLeaseResponse(
  c: Context,
  view: ControlView,
  regionName: string,
  epoch: number,
  seq: number,
  retryAfterS: number,
): Response | undefined {
  if (view.holds(epoch)) return undefined;
  c.header("Retry-After", String(retryAfterS));
  return jsonError(
    c,
    503,
    "lease_lost",
    `stored in ${regionName} at seq ${seq}, but its lease on epoch ${epoch} ran out before the write could be acknowledged; ` +
      "it is not acknowledged and may not survive a failover; retry it (with the same Idempotency-Key)",
    { seq, epoch },
  );
}

/** True when a router knows a newer epoch than the lease, nothing is known yet, or the lease ran out. */
export function isBehind(view: ControlView, taggedEpoch: number | undefined): boolean {
  const known = view.current()?.epoch;
  // An expired lease is renewed on demand too: renewals run on a timer once the service has
  // started, but a region whose timer has not caught up should not refuse a write for that.
  return (
    known === undefined ||
    (taggedEpoch !== undefined && taggedEpoch > known) ||
    view.leaseState().kind === "expired"
  );
}

/** Renews now when a router knows a newer epoch than the lease (or nothing is known yet). */
export async function renewIfBehind(
  view: ControlView,
  taggedEpoch: number | undefined,
): Promise<string | undefined> {
  if (!isBehind(view, taggedEpoch)) return undefined;
  try {
    let record = await view.read();
    // The read we joined may have been sent before the promotion, or long ago: read afresh.
    if ((taggedEpoch !== undefined && record.epoch < taggedEpoch) || view.leaseState().kind === "expired") {
      record = await view.freshRead();
    }
    return undefined;
  } catch (error) {
    return view.current() === undefined
      ? `cannot read the control record: ${(error as Error).message}`
      : undefined;
  }
}

function unavailable(c: Context, retryAfterS: number, detail: string): Response {
  c.header("Retry-After", String(retryAfterS));
  return jsonError(c, 503, "control_unavailable", detail);
}
