import type { Logger } from "pino";
import type { Clock } from "../../core/clock.ts";
import { type RawResponse, rawText, TransportError } from "../../core/transport.ts";
import type { RegionMetrics } from "../service/region-metrics.ts";
import type { ReplicationReply } from "./protocol.ts";

/** Why one shipment to the standby failed. */
export type ShipFailure =
  /** The standby could not be reached: it may be gone (degrade-to-async may apply). */
  | "unreachable"
  /** The standby answered that the sender is not active in its epoch (a failover in progress). */
  | "fenced"
  /**
   * The standby is reachable but did not apply the batch (refused, failed, or the batch could
   * not even be built): replication is stuck until someone acts, and says so.
   */
  | "stalled";

/** A refusal the standby answered with (its HTTP status and error code). */
export class ReplicationRefused extends Error {
  override name = "ReplicationRefused";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface StallState {
  sinceMs: number;
  lastError: string;
  failures: number;
}

/**
 * Keeps a stuck replication visible: on /region (region-status.ts), in /metrics
 * (failover_replication_stalled, failover_replication_failures_total) and in the log, once when
 * it starts and once when it clears. While stalled, sync mode stops acknowledging writes
 * (replicator.ts) rather than calling a reachable but refusing standby "degraded".
 */
export class ReplicationStall {
  private current: StallState | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly metrics?: RegionMetrics,
    private readonly logger?: Logger,
  ) {}

  get state(): StallState | undefined {
    return this.current;
  }

  get active(): boolean {
    return this.current !== undefined;
  }

  /** Classifies and records a failed shipment; returns its kind. */
  failed(error: unknown, peer: string): ShipFailure {
    const kind = classify(error);
    this.metrics?.replicationFailures.inc({ reason: kind });
    if (kind !== "stalled") return kind;
    const message = error instanceof Error ? error.message : String(error);
    if (this.current) {
      this.current.failures++;
      this.current.lastError = message;
      return kind;
    }
    this.current = { sinceMs: this.clock.nowMs(), lastError: message, failures: 1 };
    this.metrics?.replicationStalled.set(1);
    this.logger?.error(
      { peer, err: error },
      `replication to ${peer} is stalled: the standby is reachable but did not apply a batch`,
    );
    return kind;
  }

  /** A shipment went through: the stall, if any, is over. */
  recovered(peer: string): void {
    if (!this.current) return;
    const { sinceMs, failures } = this.current;
    this.current = undefined;
    this.metrics?.replicationStalled.set(0);
    this.logger?.info(
      { peer, stalledMs: this.clock.nowMs() - sinceMs, failures },
      `replication to ${peer} resumed`,
    );
  }
}

/** The standby's reply, or a refusal built from an answer that is not one. */
export type ShipReply = ReplicationReply | { ok: false; error: string; detail: string; head?: undefined };

/**
 * The standby's reply; any answer that is not one (a 401 from the listener, a proxy's HTML 502)
 * becomes a refusal with the status, so it is reported rather than thrown as a parse error.
 */
export async function replyOf(response: RawResponse): Promise<ShipReply> {
  const text = await rawText(response);
  let body: { ok?: unknown; error?: unknown; detail?: unknown } | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = undefined;
  }
  if (typeof body?.ok === "boolean") return body as ReplicationReply;
  return {
    ok: false,
    error: typeof body?.error === "string" ? body.error : "refused",
    detail: typeof body?.detail === "string" ? body.detail : `HTTP ${response.status}: ${text.slice(0, 200)}`,
  };
}

function classify(error: unknown): ShipFailure {
  if (error instanceof TransportError) return "unreachable";
  if (error instanceof ReplicationRefused && (error.code === "not_standby" || error.code === "stale_epoch")) {
    return "fenced";
  }
  return "stalled";
}
