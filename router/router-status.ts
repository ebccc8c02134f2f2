import type { EnvironmentConfig } from "../config/schema.ts";
import type { Clock } from "../core/clock.ts";
import type { ControlRecord } from "../core/control.ts";
import type { Decision, DecisionLog } from "./decision-log.ts";
import type { FailoverCoordinator } from "./failover-coordinator.ts";
import type { RetryBudget } from "./forward/retry-budget.ts";
import type { CheckerSnapshot } from "./health/active-checker.ts";
import type { PassiveSnapshot } from "./health/passive-detector.ts";

export interface RegionStatusView {
  name: string;
  endpoint: string;
  role: "active" | "standby";
  drained: boolean;
  /** Unhealthy by policy: down by active checks or tripped by passive signals. */
  unhealthy: boolean;
  health: CheckerSnapshot;
  passive: PassiveSnapshot;
}

export interface RouterStatus {
  routerId: string;
  environment: string;
  nowMs: number;
  activeRegion: string | undefined;
  epoch: number | undefined;
  record: ControlRecord | undefined;
  controlError: string | undefined;
  lastPromotionAtMs: number | undefined;
  regions: RegionStatusView[];
  retryBudget: ReturnType<RetryBudget["snapshot"]>;
  /** Most recent decisions, oldest first, with their reasons. */
  decisions: Decision[];
}

export function buildStatus(parts: {
  config: EnvironmentConfig;
  routerId: string;
  clock: Clock;
  coordinator: FailoverCoordinator;
  budget: RetryBudget;
  decisions: DecisionLog;
}): RouterStatus {
  const { config, coordinator, clock } = parts;
  const nowMs = clock.nowMs();
  const record = coordinator.currentRecord();
  const regions = config.regions.map((region): RegionStatusView => {
    const checker = coordinator.checkers.get(region.name);
    const passive = coordinator.passive.get(region.name);
    if (!checker || !passive) throw new Error(`no health state for ${region.name}`);
    return {
      name: region.name,
      endpoint: region.endpoint,
      role: record?.activeRegion === region.name ? "active" : "standby",
      drained: coordinator.isDrained(region.name),
      unhealthy: coordinator.isUnhealthy(region.name),
      health: checker.snapshot(),
      passive: passive.snapshot(nowMs),
    };
  });
  return {
    routerId: parts.routerId,
    environment: config.name,
    nowMs,
    activeRegion: record?.activeRegion,
    epoch: record?.epoch,
    record,
    controlError: coordinator.lastControlError(),
    lastPromotionAtMs: coordinator.lastPromotionMs(),
    regions,
    retryBudget: parts.budget.snapshot(nowMs),
    decisions: parts.decisions.recent(),
  };
}
