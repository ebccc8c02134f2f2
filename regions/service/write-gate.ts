import type { Context } from "hono";
import type { ControlRecord } from "../../core/control.ts";
import { jsonError } from "../../core/http-errors.ts";
import type { ControlView } from "./control-view.ts";

/** The header a router sets on forwarded writes: the epoch it believes current. */
export const EPOCH_HEADER = "x-failover-epoch";

/**
 * Only the active region accepts writes, and only in the current epoch. Returns the control
 * record to write under, or the response refusing the write (nothing has been written).
 */
export async function admitWrite(
  c: Context,
  view: ControlView,
  regionName: string,
  retryAfterS: number,
): Promise<ControlRecord | Response> {
  let record: ControlRecord;
  try {
    record = await view.read();
  } catch (error) {
    c.header("Retry-After", String(retryAfterS));
    return jsonError(
      c,
      503,
      "control_unavailable",
      `cannot read the control record: ${(error as Error).message}`,
    );
  }
  c.header(EPOCH_HEADER, String(record.epoch));
  if (record.activeRegion !== regionName) {
    c.header("Retry-After", String(retryAfterS));
    return jsonError(
      c,
      503,
      "not_active",
      `${regionName} is the standby; writes go to ${record.activeRegion} (epoch ${record.epoch})`,
      { activeRegion: record.activeRegion, epoch: record.epoch },
    );
  }
  const tagged = c.req.header(EPOCH_HEADER);
  if (tagged !== undefined) {
    const epoch = Number(tagged);
    if (!Number.isInteger(epoch) || epoch < 1) {
      return jsonError(
        c,
        400,
        "bad_epoch_header",
        `${EPOCH_HEADER} must be a positive integer, got "${tagged}"`,
      );
    }
    if (epoch !== record.epoch) {
      return jsonError(
        c,
        409,
        "stale_epoch",
        `write tagged with epoch ${epoch} but the current epoch is ${record.epoch} (active: ${record.activeRegion})`,
        { activeRegion: record.activeRegion, epoch: record.epoch },
      );
    }
  }
  return record;
}
