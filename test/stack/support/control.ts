import type { RunningStack } from "../../../stack/start-stack.ts";
import { eventually, getJson, sendJson } from "./http.ts";
import { FAILOVER_WAIT_MS } from "./test-stack.ts";

export interface RouterView {
  activeRegion: string;
  epoch: number;
  decisions: { atMs: number; kind: string; region?: string; reason: string }[];
  regions: { name: string; unhealthy: boolean; health: { state: string; consecutiveSuccesses: number } }[];
}

export interface RegionView {
  up: boolean;
  name: string;
  role: string;
  epoch: number | null;
  head: { seq: number; epoch: number } | null;
  storeReachable: boolean;
  replication: {
    lagEntries: number;
    lagMs: number;
    orphanedWrites: number;
    outbound?: { lastError?: string };
  };
}

export interface StackStatus {
  router: RouterView;
  regions: RegionView[];
  faults: { id: number; kind: string }[];
}

/** Injects a fault through the control API over HTTP; fails the test unless it was accepted. */
export async function injectFault(
  stack: RunningStack,
  fault: Record<string, unknown>,
): Promise<{ id: number; healsAtMs: number | null }> {
  const { status, json } = await sendJson(`${stack.controlUrl}/faults`, "POST", fault);
  if (status !== 201)
    throw new Error(`fault ${JSON.stringify(fault)} refused: ${status} ${JSON.stringify(json)}`);
  return json as unknown as { id: number; healsAtMs: number | null };
}

export async function healFault(stack: RunningStack, id?: number): Promise<void> {
  const { status, json } = await sendJson(
    `${stack.controlUrl}/faults${id === undefined ? "" : `/${id}`}`,
    "DELETE",
  );
  if (status !== 200) throw new Error(`heal ${id} refused: ${status} ${JSON.stringify(json)}`);
}

export function stackStatus(stack: RunningStack): Promise<StackStatus> {
  return getJson<StackStatus>(`${stack.controlUrl}/status`);
}

export function region(status: StackStatus, name: string): RegionView {
  const found = status.regions.find((r) => r.name === name);
  if (!found) throw new Error(`no region ${name} in status`);
  return found;
}

/** Waits until the router has moved the active role to `name`; returns its status then. */
export function waitForActive(
  stack: RunningStack,
  name: string,
  timeoutMs = FAILOVER_WAIT_MS,
): Promise<StackStatus> {
  return eventually(
    `router to make ${name} active`,
    async () => {
      const status = await stackStatus(stack);
      return status.router.activeRegion === name ? status : undefined;
    },
    timeoutMs,
  );
}

/** When the router's decision log says it promoted `region` (the first such decision). */
export function promotedAtMs(status: StackStatus, region: string): number | undefined {
  return status.router.decisions.find((d) => d.kind === "promote" && d.region === region)?.atMs;
}

/**
 * Injects a fault into a stack that has not failed over yet, and returns when it was injected.
 * A router that already moved (a false failover on a badly overloaded machine) fails the test
 * here, with its decisions, rather than making a later failover time meaningless.
 */
export async function injectIntoSteadyStack(
  stack: RunningStack,
  fault: Record<string, unknown>,
): Promise<{ id: number; injectedAtMs: number }> {
  const before = await stackStatus(stack);
  if (before.router.epoch !== 1) {
    throw new Error(`the router failed over before the fault: ${JSON.stringify(before.router.decisions)}`);
  }
  const injectedAtMs = Date.now();
  const { id } = await injectFault(stack, fault);
  return { id, injectedAtMs };
}

/** Writes one item through the router and waits until prod-ie holds it (so reads survive a failover). */
export async function seedReplicatedItem(stack: RunningStack): Promise<string> {
  const created = await sendJson(`${stack.routerUrl}/items`, "POST", { data: { seed: true } });
  if (created.status !== 201)
    throw new Error(`seed write failed: ${created.status} ${JSON.stringify(created.json)}`);
  const id = created.json.id as string;
  await eventually("the seed item on prod-ie", async () => {
    const response = await fetch(`${stack.regionUrls["prod-ie"]}/items/${id}`);
    await response.body?.cancel();
    return response.status === 200;
  });
  return id;
}
