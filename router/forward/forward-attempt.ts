import type { Logger } from "pino";
import type { EnvironmentConfig } from "../../config/schema.ts";
import { type Clock, clockTimeout, type TimerHandle } from "../../core/clock.ts";
import {
  type CancelSlot,
  type RawResponse,
  rawOfResponse,
  requestOfRaw,
  type Transport,
  TransportError,
} from "../../core/transport.ts";
import { discardBody, raceSignal } from "../deadline.ts";
import type { FailoverCoordinator } from "../failover-coordinator.ts";
import { outcomeOfFailure, outcomeOfStatus } from "../health/request-outcome.ts";
import type { RouterMetrics } from "../metrics.ts";
import { chooseRoute, type Route } from "./choose-route.ts";
import { type ContractRefusal, checkRefusal } from "./contract-refusal.ts";
import { type ForwardedRequest, upstreamRequest } from "./forward-request.ts";
import type { RetryBudget } from "./retry-budget.ts";

export interface ForwardDeps {
  config: EnvironmentConfig;
  coordinator: FailoverCoordinator;
  clock: Clock;
  transport: Transport;
  metrics: RouterMetrics;
  budget: RetryBudget;
  logger: Logger;
}

export type AttemptResult =
  | { kind: "response"; response: RawResponse; refusal: ContractRefusal | undefined }
  | { kind: "failed"; error: TransportError; budgetSpent?: boolean };

/**
 * Sends one attempt to `route.region` and reports the outcome as a passive health signal.
 * The attempt is bounded on the injected clock by connect + response timeout and aborted when
 * that passes; the transport gets both timeouts as well. (The client going away is not wired
 * in: an AbortSignal.any per request is costly, and the wait is bounded anyway; a
 * client that leaves mid-body cancels the body stream, which aborts the upstream read.)
 */
export async function sendAttempt(
  deps: ForwardDeps,
  forwarded: ForwardedRequest,
  route: Route,
  write: boolean,
): Promise<AttemptResult> {
  const region = regionNamed(deps.config, route.region);
  if (!region)
    return { kind: "failed", error: new TransportError("unknown", route.region, "not a configured region") };
  try {
    let response: RawResponse;
    if (deps.transport.raw) {
      // Awaited here, not inside an async helper: one promise and one turn fewer per attempt (issue 18).
      const raw = startRaw(deps, forwarded, route, region.endpoint, write);
      try {
        response = await raw.sending;
      } finally {
        raw.deadline.cancel();
      }
    } else response = await sendWithSignal(deps, forwarded, route, region.endpoint, write);
    // Only a 503 or 409 can be a refusal: other reads skip the check (the read path's speed).
    if (!write && response.status !== 503 && response.status !== 409) {
      deps.coordinator.reportResult(route.region, outcomeOfStatus(response.status), forwarded.client);
      return { kind: "response", response, refusal: undefined };
    }
    const checked = await checkRefusal(response);
    // A refusal is the fencing contract working, not the region failing.
    const outcome = outcomeOfStatus(response.status, checked.healthyRefusal);
    deps.coordinator.reportResult(route.region, outcome, forwarded.client);
    return { kind: "response", response: checked.response, refusal: checked.refusal };
  } catch (error) {
    const failure = asTransportError(error, route.region);
    deps.coordinator.reportResult(
      route.region,
      outcomeOfFailure(failure.kind),
      forwarded.client,
      failure.kind,
    );
    return { kind: "failed", error: failure };
  }
}

/** The configured region of that name (a loop, not find(): no closure per attempt). */
function regionNamed(
  config: EnvironmentConfig,
  name: string,
): EnvironmentConfig["regions"][number] | undefined {
  for (const region of config.regions) if (region.name === name) return region;
  return undefined;
}

type Send = (
  deps: ForwardDeps,
  forwarded: ForwardedRequest,
  route: Route,
  endpoint: string,
  write: boolean,
) => Promise<RawResponse>;

/** Any transport: a real Request and an AbortSignal from clockTimeout that fires at the deadline. */
const sendWithSignal: Send = async (deps, forwarded, route, endpoint, write) => {
  const { connectTimeoutMs, responseTimeoutMs } = deps.config.router;
  const deadline = clockTimeout(deps.clock, connectTimeoutMs + responseTimeoutMs, () =>
    timeoutError(deps, route),
  );
  try {
    const request = requestOfRaw(upstreamRequest(forwarded, endpoint, route.epoch, tagsEpoch(route, write)));
    const sending = deps.transport(route.region, request, {
      connectTimeoutMs,
      responseTimeoutMs,
      signal: deadline.signal,
    });
    return rawOfResponse(await raceSignal(sending, deadline.signal, discardBody));
  } finally {
    deadline.dispose();
  }
};

/**
 * A transport with a raw path (core/transport.ts): the same deadline on the same clock, ended
 * through the cancel slot instead of an AbortSignal, and no Request built at all. Starts the
 * send; the caller awaits it and then cancels the deadline.
 */
function startRaw(
  deps: ForwardDeps,
  forwarded: ForwardedRequest,
  route: Route,
  endpoint: string,
  write: boolean,
): { sending: Promise<RawResponse>; deadline: TimerHandle } {
  const { connectTimeoutMs, responseTimeoutMs } = deps.config.router;
  const cancel: CancelSlot = {};
  const deadline = deps.clock.setTimer(connectTimeoutMs + responseTimeoutMs, () =>
    cancel.cancel?.(timeoutError(deps, route)),
  );
  try {
    const request = upstreamRequest(forwarded, endpoint, route.epoch, tagsEpoch(route, write));
    const sending = deps.transport.raw!(route.region, request, {
      connectTimeoutMs,
      responseTimeoutMs,
      cancel,
    });
    return { sending, deadline };
  } catch (error) {
    deadline.cancel();
    throw error;
  }
}

/**
 * Writes always carry the router's epoch (fencing); reads do too (issue 12), so a region that
 * has learned it was deposed refuses them instead of serving stale data, except a read sent to
 * the standby on purpose (`standbyReads`), which is allowed to be stale by the replication lag.
 */
function tagsEpoch(route: Route, write: boolean): boolean {
  return write || route.reason !== "standby-read";
}

function timeoutError(deps: ForwardDeps, route: Route): TransportError {
  const { connectTimeoutMs, responseTimeoutMs } = deps.config.router;
  return new TransportError(
    "timeout",
    route.region,
    `no response within ${connectTimeoutMs + responseTimeoutMs} ms`,
  );
}

/**
 * Where to send a second attempt, if anywhere. Refusals (not_active, stale_epoch) were not
 * applied: refresh the record and resend to the active region. A connection that was refused or
 * never established did not reach the region: resend whatever the method. A reset is resent only
 * for idempotent requests; a timeout only for idempotent ones and only if traffic has already
 * moved. Before resending after a refused or reset connection, wait (at most one probe interval)
 * for the confirmation probes and the failover they cause, so the retry goes to the new active.
 */
export async function retryRoute(
  deps: ForwardDeps,
  result: AttemptResult,
  route: Route,
  method: string,
  idempotent: boolean,
): Promise<Route | undefined> {
  if (result.kind === "response") {
    if (!result.refusal) return undefined;
    await deps.coordinator.refresh();
    const next = chooseRoute(deps.config, deps.coordinator, method);
    if (next.region === route.region && next.epoch === route.epoch) return undefined;
    deps.metrics.retries.labels(result.refusal.error, "sent").inc();
    return { ...next, reason: "redirect" };
  }
  const { kind, neverSent } = result.error;
  if (kind === "aborted" || kind === "unknown") return undefined;
  if (neverSent || kind === "reset") {
    await deps.coordinator.settle(route.region, deps.config.router.healthCheck.intervalMs);
  }
  const next = chooseRoute(deps.config, deps.coordinator, method);
  const retryable =
    neverSent ||
    (kind === "reset" && idempotent) ||
    (kind === "timeout" && idempotent && next.region !== route.region);
  if (!retryable) return undefined;
  if (!deps.budget.tryAcquire(deps.clock.nowMs())) {
    deps.metrics.retries.labels(kind, "budget_exhausted").inc();
    result.budgetSpent = true;
    return undefined;
  }
  deps.metrics.retries.labels(kind, "sent").inc();
  return { ...next, reason: "retry" };
}

function asTransportError(error: unknown, region: string): TransportError {
  if (error instanceof TransportError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new TransportError("unknown", region, message);
}
