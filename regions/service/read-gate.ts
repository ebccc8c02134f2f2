import type { Context } from "hono";
import { jsonError } from "../../core/http-errors.ts";
import type { ControlView } from "./control-view.ts";
import { EPOCH_HEADER, isBehind, renewIfBehind, taggedEpochOf } from "./write-gate.ts";

/**
 * Reads tagged with the router's epoch (issue 12), as writes are. A router sends a read to the
 * region its control record names active, in that record's epoch; a region that has since
 * learned that another region is active (a later record, or a renewal after its lease ran out
 * showing the promotion) may hold data the new active has overwritten, so it refuses the read
 * with 503 `not_active` naming the active region instead of serving it stale. The router treats
 * that as it treats a refused write (router/forward/contract-refusal.ts): refresh the record and
 * send the read to the active region; never as evidence about this region's health. A read
 * tagged with a newer epoch than this region knows renews first (it may just have been promoted;
 * the lease then decides, read-visibility.ts). Untagged reads (a router's opt-in `standbyReads`,
 * a client calling the region directly) are served as before.
 */
export function admitRead(
  c: Context,
  view: ControlView,
  regionName: string,
  retryAfterS: number,
): Response | undefined | Promise<Response | undefined> {
  const taggedEpoch = taggedEpochOf(c);
  if (taggedEpoch === undefined || taggedEpoch instanceof Response) return taggedEpoch;
  // Only a renewal waits; a read tagged with the epoch the lease knows is judged at once.
  if (!isBehind(view, taggedEpoch)) return judgeRead(c, view, regionName, retryAfterS, taggedEpoch);
  return renewIfBehind(view, taggedEpoch).then(() =>
    judgeRead(c, view, regionName, retryAfterS, taggedEpoch),
  );
}

function judgeRead(
  c: Context,
  view: ControlView,
  regionName: string,
  retryAfterS: number,
  taggedEpoch: number,
): Response | undefined {
  const record = view.current();
  if (record === undefined) {
    c.header("Retry-After", String(retryAfterS));
    return jsonError(c, 503, "control_unavailable", "the control record has not been read yet");
  }
  c.header(EPOCH_HEADER, String(record.epoch));
  if (record.activeRegion === regionName) return undefined;
  c.header("Retry-After", String(retryAfterS));
  return jsonError(
    c,
    503,
    "not_active",
    `${regionName} is not the active region (epoch ${record.epoch}: ${record.activeRegion}); ` +
      `a read tagged with epoch ${taggedEpoch} could see data ${record.activeRegion} has since changed`,
    { activeRegion: record.activeRegion, epoch: record.epoch },
  );
}
