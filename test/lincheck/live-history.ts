import { ulid } from "ulid";
import type { RunningStack } from "../../stack/start-stack.ts";
import { healFault, injectIntoSteadyStack, stackStatus } from "../stack/support/control.ts";
import { eventually } from "../stack/support/http.ts";
import { CLIENT_TIMEOUT_MS, FAILOVER_WAIT_MS, startTestStack } from "../stack/support/test-stack.ts";
import type { LincheckFault } from "./fault-table.ts";
import { errorCodeOf, type History, HistoryRecorder, type WriteKind, writeOp } from "./history.ts";
import { DELETE_SHARE } from "./sim-history.ts";

/**
 * FAST_ROUTER (test/stack/support/test-stack.ts), whose probe timings already allow a loaded
 * machine's stalls, with a passive detector that the read-heavy load here (16 clients) does
 * not trip on a few slow answers of its own.
 */
const TOLERANT_ROUTER = {
  passive: { consecutiveFailures: 10, errorRateMinRequests: 50 },
};

export interface LiveRunOptions {
  fault: LincheckFault;
  /** Length of the recorded run; the fault starts at `faultAtMs` and lasts to the end. */
  durationMs: number;
  faultAtMs: number;
  writers?: number;
  readers?: number;
  items?: number;
  /** A writer's pause after each answer (bounds the load on a shared 2-core machine). */
  writerPaceMs?: number;
  readerPaceMs?: number;
  /** The share of a writer's writes that are DELETEs (sim-history.ts's DELETE_SHARE unless set). */
  deleteShare?: number;
  syncWaitPoint?: "after-sync" | "after-commit";
}

export interface LiveRun {
  history: History;
  /** Latencies (ms) of GETs answered 200/404 before the fault: the steady-state read cost. */
  readLatenciesMs: number[];
  promoted: boolean;
  decisions: string[];
}

/**
 * Records a history through the router of a live sync-mode stack (stack/start-stack.ts):
 * `writers` clients PUT unique integers to `items` items, `readers` clients GET them, and the
 * fault goes in part-way. Read-heavy on purpose: the window issue 19 (docs/issues.md) found is ~100 ms wide
 * around a failover, and only many reads land in it.
 */
export async function recordLiveHistory(options: LiveRunOptions): Promise<LiveRun> {
  const stack = await startTestStack({
    replication: { mode: "sync", syncWaitPoint: options.syncWaitPoint ?? "after-sync" },
    router: TOLERANT_ROUTER,
    ...(options.fault.routerLocation ? { routerLocation: options.fault.routerLocation } : {}),
  });
  try {
    return await drive(stack, options);
  } finally {
    await stack.close();
  }
}

async function drive(stack: RunningStack, options: LiveRunOptions): Promise<LiveRun> {
  const itemCount = options.items ?? 5;
  const seedMs = Date.now();
  const items = Array.from({ length: itemCount }, (_, n) => ulid(seedMs + n));
  const recorder = new HistoryRecorder(() => performance.now());
  const readLatenciesMs: number[] = [];
  let next = 1;
  let stopped = false;
  let faultStarted = false;
  const pick = () => items[Math.floor(Math.random() * items.length)]!;

  const writer = async (client: number) => {
    while (!stopped) {
      const kind: WriteKind = Math.random() < (options.deleteShare ?? DELETE_SHARE) ? "delete" : "put";
      await writeOnce(stack.routerUrl, recorder, {
        client,
        key: pick(),
        kind,
        value: kind === "put" ? next++ : null,
      });
      await pause(options.writerPaceMs ?? 10);
    }
  };
  const reader = async (client: number) => {
    while (!stopped) {
      const latencyMs = await getOnce(stack.routerUrl, recorder, client, pick());
      if (latencyMs !== undefined && !faultStarted) readLatenciesMs.push(latencyMs);
      await pause(options.readerPaceMs ?? 0);
    }
  };
  const writers = options.writers ?? 8;
  const clients = [
    ...Array.from({ length: writers }, (_, n) => writer(n)),
    ...Array.from({ length: options.readers ?? 8 }, (_, n) => reader(writers + n)),
  ];
  await pause(options.faultAtMs);
  const fault = await injectIntoSteadyStack(stack, options.fault.fault);
  faultStarted = true;
  await pause(Math.max(0, options.durationMs - options.faultAtMs));
  if (options.fault.failsOver) {
    // However slow a loaded machine makes the failover, the history covers both sides of it:
    // the run goes on until prod-ie is active and has answered a read.
    await eventually(
      "prod-ie to be promoted and answer a read",
      async () =>
        (await stackStatus(stack)).router.activeRegion === "prod-ie" &&
        recorder.history().ops.some((o) => o.op === "get" && o.note?.endsWith("prod-ie")),
      FAILOVER_WAIT_MS,
    ).catch(() => undefined);
  }
  stopped = true;
  await Promise.all(clients);
  const status = await stackStatus(stack);
  await healFault(stack, fault.id);
  return {
    history: recorder.history(),
    readLatenciesMs,
    promoted: status.router.activeRegion === "prod-ie",
    decisions: status.router.decisions.map((d) => `${d.kind} ${d.region ?? ""}: ${d.reason}`),
  };
}

/** Client-side timeout: past the router's connect + response timeouts and one retry. */
const REQUEST_TIMEOUT_MS = CLIENT_TIMEOUT_MS;

/** One PUT or DELETE through the router, recorded by history.ts's writeOp. */
async function writeOnce(
  routerUrl: string,
  recorder: HistoryRecorder,
  write: { client: number; key: string; kind: WriteKind; value: number | null },
): Promise<void> {
  const callUs = recorder.nowUs();
  const put = write.kind === "put";
  try {
    const response = await fetch(`${routerUrl}/items/${write.key}`, {
      method: put ? "PUT" : "DELETE",
      ...(put
        ? {
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ data: { n: write.value } }),
          }
        : {}),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const body = await response.text();
    const answer = { status: response.status, error: errorCodeOf(body), returnUs: recorder.nowUs() };
    const note = `${response.status} ${response.headers.get("x-served-by")}${replayed(response)}`;
    recorder.record(writeOp({ ...write, callUs }, answer, note));
  } catch (error) {
    recorder.record(writeOp({ ...write, callUs }, undefined, `no answer: ${(error as Error).message}`));
  }
}

/** Returns the latency in ms if the GET observed a value (200 or 404). */
async function getOnce(
  routerUrl: string,
  recorder: HistoryRecorder,
  client: number,
  key: string,
): Promise<number | undefined> {
  const callUs = recorder.nowUs();
  try {
    const response = await fetch(`${routerUrl}/items/${key}`, {
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    const returnUs = recorder.nowUs();
    if (response.status !== 200 && response.status !== 404) return undefined;
    const value = response.status === 404 ? null : (JSON.parse(text) as { data: { n: number } }).data.n;
    const note = `${response.status} ${response.headers.get("x-served-by")}`;
    recorder.record({ client, key, op: "get", value, callUs, returnUs, note });
    return (returnUs - callUs) / 1000;
  } catch {
    return undefined;
  }
}

function replayed(response: Response): string {
  return response.headers.get("idempotent-replayed") ? " replayed" : "";
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The p-th percentile (0..100) of `values`, nearest rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
