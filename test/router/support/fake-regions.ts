import { type Clock, sleep } from "../../../core/clock.ts";
import type { ControlStore } from "../../../core/control.ts";
import { type Transport, TransportError } from "../../../core/transport.ts";

/** What a fake region does with the next request. */
export type Fault =
  | { kind: "ok" }
  | { kind: "refuse" }
  | { kind: "hang" }
  | { kind: "reset" }
  | { kind: "status"; status: number; body?: Record<string, unknown> }
  | { kind: "slow"; delayMs: number };

export interface SeenRequest {
  region: string;
  method: string;
  url: string;
  path: string;
  headers: Headers;
  body: string;
  atMs: number;
}

/**
 * Two in-process stand-in regions behind a fake Transport, on a ManualClock. They honour the
 * region contract the router relies on: /readyz, `x-region` on every answer, and for writes
 * 503 not_active from a standby and 409 stale_epoch for an old `x-failover-epoch` (neither applied).
 * `faults` sets per region what happens to the next request: refused, hang until aborted, reset,
 * a status, a delay.
 */
export class FakeRegions {
  readonly faults = new Map<string, Fault>();
  /** Faults for probes only (path /readyz), overriding `faults`. */
  readonly probeFaults = new Map<string, Fault>();
  /** One-shot faults for traffic (not probes), used before `faults`. */
  private readonly once = new Map<string, Fault[]>();
  readonly seen: SeenRequest[] = [];
  /** Writes each region applied, with the epoch they were tagged with. */
  readonly applied: { region: string; epoch: number; method: string; path: string; atMs: number }[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly control: ControlStore,
  ) {}

  readonly transport: Transport = async (region, request, options) => {
    const url = new URL(request.url);
    const body = request.body ? await request.text() : "";
    const path = url.pathname + url.search;
    this.seen.push({
      region,
      method: request.method,
      url: request.url,
      path,
      headers: request.headers,
      body,
      atMs: this.clock.nowMs(),
    });
    const probe = url.pathname === "/readyz";
    const fault =
      (probe ? this.probeFaults.get(region) : this.once.get(region)?.shift()) ?? this.faults.get(region);
    switch (fault?.kind ?? "ok") {
      case "refuse":
        throw new TransportError("refused", region, "connect ECONNREFUSED");
      case "reset":
        throw new TransportError("reset", region, "socket hang up (ECONNRESET)");
      case "hang":
        return new Promise<Response>((_, reject) => {
          const abort = () => reject(new TransportError("aborted", region, "aborted by caller"));
          if (options.signal?.aborted) abort();
          options.signal?.addEventListener("abort", abort, { once: true });
        });
      case "status":
        return json(region, (fault as { status: number }).status, {
          ...{ error: "injected", detail: "fault" },
          ...(fault as { body?: Record<string, unknown> }).body,
        });
      case "slow":
        await sleep(this.clock, (fault as { delayMs: number }).delayMs, options.signal);
        return this.answer(region, request, path);
      default:
        return this.answer(region, request, path);
    }
  };

  /** The next traffic request to `region` meets `fault`; later ones behave as before. */
  failNext(region: string, fault: Fault): void {
    const queue = this.once.get(region) ?? [];
    queue.push(fault);
    this.once.set(region, queue);
  }

  probes(region: string): SeenRequest[] {
    return this.seen.filter((s) => s.region === region && s.path === "/readyz");
  }

  traffic(region?: string): SeenRequest[] {
    return this.seen.filter((s) => s.path !== "/readyz" && (region === undefined || s.region === region));
  }

  private async answer(region: string, request: Request, path: string): Promise<Response> {
    if (path === "/readyz") return json(region, 200, { ready: true, replicationLagEntries: 0 });
    const method = request.method;
    if (method === "GET" || method === "HEAD") return json(region, 200, { region, path });
    const record = await this.control.read();
    if (!record || record.activeRegion !== region) {
      return json(region, 503, {
        error: "not_active",
        detail: `${region} is the standby`,
        activeRegion: record?.activeRegion,
        epoch: record?.epoch,
      });
    }
    const tagged = Number(request.headers.get("x-failover-epoch"));
    if (tagged !== record.epoch) {
      return json(region, 409, {
        error: "stale_epoch",
        detail: `tagged ${tagged}, current ${record.epoch}`,
        epoch: record.epoch,
      });
    }
    this.applied.push({ region, epoch: tagged, method, path, atMs: this.clock.nowMs() });
    return json(region, method === "POST" ? 201 : 200, { region, path, epoch: tagged });
  }
}

function json(region: string, status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "content-type": "application/json",
      "x-region": region,
      connection: "keep-alive, x-upstream-secret",
      "keep-alive": "timeout=5",
      "x-upstream-secret": "hop-by-hop by Connection",
    },
  });
}
