import { combineDegradations } from "../../core/faults/fault-definition.ts";
import type { Endpoint } from "../transport/endpoint.ts";
import { selectorMatches } from "../transport/endpoint.ts";
import type {
  AwsRegionEffect,
  ControlSlowEffect,
  FaultEffect,
  LinkEffect,
  RegionEffect,
  ReplicationEffect,
  RouterEffect,
  StoreLatencyEffect,
} from "./effects.ts";

/** What a region is doing at one instant, after stacking every fault on it (see README.md). */
export interface RegionCondition {
  down: boolean;
  hang: boolean;
  /** Combined share of requests answered 503: 1 - (1 - a)(1 - b)... */
  errorRate: number;
  /** Sum of every active fault's added latency. */
  addedLatencyMs: number;
}

const HEALTHY: RegionCondition = Object.freeze({ down: false, hang: false, errorRate: 0, addedLatencyMs: 0 });

/**
 * Answers "what holds now?" for the transport, from the fault timeline planned at the start of
 * the run. Stacking rules: down beats hang beats degraded; latencies add; error rates combine as
 * independent chances, 1 - (1 - a)(1 - b).
 */
export class FaultState {
  private readonly regions = new Map<string, RegionEffect[]>();
  private readonly links: LinkEffect[] = [];
  private readonly replication: ReplicationEffect[] = [];
  private readonly routers: RouterEffect[] = [];
  private readonly awsRegions: AwsRegionEffect[] = [];
  private readonly slowControl: ControlSlowEffect[] = [];
  private readonly storeLatency: StoreLatencyEffect[] = [];

  constructor(effects: readonly FaultEffect[]) {
    for (const e of effects) {
      if (e.type === "region") {
        const list = this.regions.get(e.region) ?? [];
        list.push(e);
        this.regions.set(e.region, list);
      } else if (e.type === "link") this.links.push(e);
      else if (e.type === "replication") this.replication.push(e);
      else if (e.type === "router") this.routers.push(e);
      else if (e.type === "aws-region") this.awsRegions.push(e);
      else if (e.type === "control-slow") this.slowControl.push(e);
      else if (e.type === "store-latency") this.storeLatency.push(e);
    }
    for (const list of this.regions.values()) list.sort((a, b) => a.fromMs - b.fromMs);
  }

  regionCondition(region: string, atMs: number): RegionCondition {
    const list = this.regions.get(region);
    if (!list) return HEALTHY;
    let down = false;
    let hang = false;
    const degraded: RegionEffect[] = [];
    let any = false;
    for (const e of list) {
      if (e.fromMs > atMs) break;
      if (atMs >= e.toMs) continue;
      any = true;
      if (e.mode === "down") down = true;
      else if (e.mode === "hang") hang = true;
      else degraded.push(e);
    }
    if (!any) return HEALTHY;
    // The live stack's RegionGate stacks brownouts by the same function.
    return { down, hang: hang && !down, ...combineDegradations(degraded) };
  }

  /** Did the region go down or hang at any time in (fromMs, toMs]? (work in progress there is lost) */
  regionInterrupted(region: string, fromMs: number, toMs: number): "down" | "hang" | undefined {
    const list = this.regions.get(region);
    if (!list) return undefined;
    let found: "down" | "hang" | undefined;
    for (const e of list) {
      if (e.fromMs > toMs) break;
      if (e.mode === "degraded" || e.toMs <= fromMs || e.fromMs <= fromMs) continue;
      if (e.mode === "down") return "down";
      found = "hang";
    }
    return found;
  }

  /** Are packets from `from` to `to` dropped at any time in [fromMs, toMs]? */
  linkBlocked(from: Endpoint, to: Endpoint, fromMs: number, toMs: number): boolean {
    for (const e of this.links) {
      if (e.fromMs > toMs || e.toMs <= fromMs) continue;
      if (selectorMatches(e.a, from) && selectorMatches(e.b, to)) return true;
      if (!e.oneWay && selectorMatches(e.b, from) && selectorMatches(e.a, to)) return true;
    }
    return false;
  }

  replicationPaused(fromRegion: string, toRegion: string, atMs: number): boolean {
    for (const e of this.replication) {
      if (e.from === fromRegion && e.to === toRegion && e.fromMs <= atMs && atMs < e.toMs) return true;
    }
    return false;
  }

  /** Is this AWS region out at `atMs` (everything placed there is gone)? */
  awsRegionDown(awsRegion: string | undefined, atMs: number): boolean {
    if (awsRegion === undefined) return false;
    for (const e of this.awsRegions)
      if (e.awsRegion === awsRegion && e.fromMs <= atMs && atMs < e.toMs) return true;
    return false;
  }

  /** Did this AWS region go out at any time in (fromMs, toMs]? (work in progress there is lost) */
  awsRegionInterrupted(awsRegion: string | undefined, fromMs: number, toMs: number): boolean {
    if (awsRegion === undefined) return false;
    for (const e of this.awsRegions)
      if (e.awsRegion === awsRegion && e.fromMs > fromMs && e.fromMs <= toMs) return true;
    return false;
  }

  routerDown(routerId: string, atMs: number): boolean {
    for (const e of this.routers)
      if (e.routerId === routerId && e.fromMs <= atMs && atMs < e.toMs) return true;
    return false;
  }

  /** How much later a control replica (or the witness) answers at `atMs`: active slow faults add. */
  controlDelayMs(member: { name: string; awsRegion?: string | undefined }, atMs: number): number {
    let delayMs = 0;
    for (const e of this.slowControl) {
      if (e.fromMs > atMs || atMs >= e.toMs) continue;
      if (e.replica === member.name || (e.awsRegion !== undefined && e.awsRegion === member.awsRegion))
        delayMs += e.addedLatencyMs;
    }
    return delayMs;
  }

  /** Does any store-latency-spike ever cover this region? (only those stores pay for the check) */
  hasStoreLatency(region: string): boolean {
    return this.storeLatency.some((e) => e.region === region);
  }

  /** A region's store delay at `atMs`: added latencies and jitter bounds of active spikes add. */
  storeLatencyAt(region: string, atMs: number): { addedLatencyMs: number; jitterMs: number } {
    let addedLatencyMs = 0;
    let jitterMs = 0;
    for (const e of this.storeLatency) {
      if (e.region !== region || e.fromMs > atMs || atMs >= e.toMs) continue;
      addedLatencyMs += e.addedLatencyMs;
      jitterMs += e.jitterMs;
    }
    return { addedLatencyMs, jitterMs };
  }
}
