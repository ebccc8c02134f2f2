import { type RawResponse, rawText } from "../../core/transport.ts";

/**
 * A region's answer that says "this request was not served, send it to the active region":
 * 503 not_active from a standby (a write, or a read tagged with an epoch in which the region has
 * since been deposed: regions/service/read-gate.ts), 409 stale_epoch for a write tagged with an
 * old epoch (regions/service/write-gate.ts). Reads pay for the check only on a 503 or 409.
 */
export interface ContractRefusal {
  error: "not_active" | "stale_epoch";
  activeRegion: string | undefined;
  epoch: number | undefined;
}

/**
 * Refusals that say nothing about the region's health: it answered correctly that it cannot take
 * this write now (the fencing contract, or a standby that cannot confirm a synchronous write).
 * Counting them as failures would fail over from a healthy region (and, for replication_timeout,
 * away from the one region that still has the unconfirmed write).
 */
const HEALTHY_REFUSALS = new Set(["not_active", "stale_epoch", "replication_timeout"]);

export interface RefusalCheck {
  refusal: ContractRefusal | undefined;
  /** The region answered a deliberate refusal (see HEALTHY_REFUSALS): not a sign of failure. */
  healthyRefusal: boolean;
  /** The response to pass on if it was not a refusal (its body may have been read). */
  response: RawResponse;
}

export async function checkRefusal(response: RawResponse): Promise<RefusalCheck> {
  if (response.status !== 503 && response.status !== 409)
    return { refusal: undefined, healthyRefusal: false, response };
  const type = response.headers["content-type"];
  if (typeof type !== "string" || !type.includes("json")) {
    return { refusal: undefined, healthyRefusal: false, response };
  }
  const text = await rawText(response);
  const rebuilt: RawResponse = { ...response, body: text };
  try {
    const body = JSON.parse(text) as { error?: unknown; activeRegion?: unknown; epoch?: unknown };
    const healthyRefusal = typeof body.error === "string" && HEALTHY_REFUSALS.has(body.error);
    if (body.error !== "not_active" && body.error !== "stale_epoch")
      return { refusal: undefined, healthyRefusal, response: rebuilt };
    return {
      healthyRefusal,
      refusal: {
        error: body.error,
        activeRegion: typeof body.activeRegion === "string" ? body.activeRegion : undefined,
        epoch: typeof body.epoch === "number" ? body.epoch : undefined,
      },
      response: rebuilt,
    };
  } catch {
    return { refusal: undefined, healthyRefusal: false, response: rebuilt };
  }
}
