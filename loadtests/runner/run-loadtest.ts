import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { UsageError } from "../../core/cli-error.ts";
import type { StackOptions } from "../../stack/start-stack.ts";
import { type RunningStack, startStack } from "../../stack/start-stack.ts";
import { compareFinalValues, expectedFinalValues, readAckedWrites } from "./acked-writes.ts";
import { findK6 } from "./find-k6.ts";
import { judgeWrites, type WritesVerdict } from "./judge-writes.ts";

export const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
export const SCRIPTS = ["steady", "failover", "spike", "soak"] as const;

export interface LoadtestOptions {
  script: string;
  stack: StackOptions;
  resultsDir: string;
  /** Passed to the script as DURATION_S / RATE_PER_S when set. */
  durationS?: number;
  ratePerS?: number;
  /** More environment for the script (e.g. FAULT_AT_S, FAULT_FOR_S for failover). */
  scriptEnv?: Record<string, string>;
  /**
   * Also write every request's figures to `<script>-requests.json` (k6's JSON output), for
   * `--compare-sim`, whose rows are computed from single requests on both sides.
   */
  requestsOutput?: boolean;
  log: (line: string) => void;
}

export interface LoadtestResult {
  k6ExitCode: number;
  thresholdsOk: boolean;
  writes?: WritesVerdict;
  summaryFile: string;
  /** k6's JSON output, one line per sample (only with `requestsOutput`). */
  requestsFile?: string;
  /** The machine's load averages (1, 5, 15 min) as k6 started and as it ended. */
  loadAverage: { atStart: number[]; atEnd: number[] };
  /**
   * The stack's own process while k6 ran: CPU it used (user + system) against the wall time, and
   * how late its event loop ran (p50 / p99 / max ms). Late with little CPU used: the machine did
   * not give the process a core (other work); late with a core's worth used: the stack was busy.
   */
  stackProcess: StackProcessFigures;
  /** From the first fault to the router's promotion, measured on the stack. */
  promoteAfterFaultMs?: number;
  /** The router's reason for that promotion (which detector fired). */
  promotedBecause?: string;
  /** From the first fault to the router's first detection (active checks down, or a passive trip). */
  detectAfterFaultMs?: number;
}

/** Starts the stack, runs one k6 script against it, checks the writes, stops the stack. */
export async function runLoadtest(options: LoadtestOptions): Promise<LoadtestResult> {
  const scriptFile = resolveScript(options.script);
  const name = options.script.replace(/\.ts$/, "").split("/").pop()!;
  const k6 = findK6(ROOT, options.log);
  mkdirSync(options.resultsDir, { recursive: true });
  const stack = await startStack(options.stack);
  try {
    const [active, standby] = activeFirst(stack);
    options.log(
      `stack up: router ${stack.routerUrl}, control ${stack.controlUrl}; ${active} active, ${standby} standby`,
    );
    const logFile = join(options.resultsDir, `${name}-k6.log`);
    writeFileSync(logFile, ""); // k6 appends to its log file; start each run empty
    const requestsFile = options.requestsOutput
      ? join(options.resultsDir, `${name}-requests.json`)
      : undefined;
    const loadAtStart = loadavg();
    const watch = watchStackProcess();
    const k6ExitCode = await runK6(
      k6,
      scriptFile,
      {
        BASE_URL: stack.routerUrl,
        CONTROL_URL: stack.controlUrl,
        RESULTS_DIR: options.resultsDir,
        ACTIVE_REGION: active,
        STANDBY_REGION: standby,
        ...(options.durationS ? { DURATION_S: String(options.durationS) } : {}),
        ...(options.ratePerS ? { RATE_PER_S: String(options.ratePerS) } : {}),
        // --fault-at / --fault-for (and CALIBRATE): never reached k6 before, which ran its defaults.
        ...options.scriptEnv,
      },
      logFile,
      requestsFile,
    );
    const loadAverage = { atStart: loadAtStart, atEnd: loadavg() };
    const stackProcess = watch.stop();
    options.log(
      `stack process while k6 ran: ${stackProcess.cpuS.toFixed(1)} s CPU in ${stackProcess.wallS.toFixed(1)} s; ` +
        `event loop late p50 ${stackProcess.loopDelayMs.p50.toFixed(1)} / p99 ${stackProcess.loopDelayMs.p99.toFixed(1)} / max ${stackProcess.loopDelayMs.max.toFixed(1)} ms`,
    );
    const promotion = await promotionDelay(stack);
    await saveDecisions(stack, join(options.resultsDir, `${name}-decisions.json`));
    const writes = await checkWrites(stack, active, logFile, options.log);
    const summaryFile = join(options.resultsDir, `${name}-summary.json`);
    recordWritesCheck(summaryFile, writes);
    return {
      k6ExitCode,
      thresholdsOk: k6ExitCode === 0,
      writes,
      summaryFile,
      loadAverage,
      stackProcess,
      ...(requestsFile ? { requestsFile } : {}),
      ...promotion,
    };
  } finally {
    await stack.close();
  }
}

function resolveScript(script: string): string {
  const named = join(ROOT, "loadtests", `${script}.ts`);
  if ((SCRIPTS as readonly string[]).includes(script) && existsSync(named)) return named;
  if (existsSync(script)) return resolve(script);
  throw new UsageError(`no k6 script "${script}"; choose one of ${SCRIPTS.join(", ")} or give a path`);
}

function activeFirst(stack: RunningStack): [string, string] {
  const active = stack.config.initialActive;
  const standby = stack.config.regions.find((r) => r.name !== active)!.name;
  return [active, standby];
}

export interface StackProcessFigures {
  cpuS: number;
  wallS: number;
  loopDelayMs: { p50: number; p99: number; max: number };
}

/** Starts watching this process (the stack runs in it): CPU used, and the event loop's lateness. */
function watchStackProcess(): { stop(): StackProcessFigures } {
  const resolutionMs = 10;
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  const cpuAtStart = process.cpuUsage();
  const wallAtStart = performance.now();
  return {
    stop() {
      histogram.disable();
      const cpu = process.cpuUsage(cpuAtStart);
      // The histogram holds each interval between its timer's runs, resolution included.
      const ms = (ns: number) => Math.max(0, ns / 1e6 - resolutionMs);
      return {
        cpuS: (cpu.user + cpu.system) / 1e6,
        wallS: (performance.now() - wallAtStart) / 1000,
        loopDelayMs: {
          p50: ms(histogram.percentile(50)),
          p99: ms(histogram.percentile(99)),
          max: ms(histogram.max),
        },
      };
    },
  };
}

/** Runs k6 with its output passed through; bounded by a hard deadline in case a script never ends. */
function runK6(
  k6: string,
  script: string,
  env: Record<string, string>,
  logFile: string,
  requestsFile: string | undefined,
): Promise<number> {
  const args = ["run", "--no-usage-report", "--log-format", "json", `--log-output=file=${logFile}`];
  if (requestsFile) args.push("--out", `json=${requestsFile}`);
  args.push(script);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(k6, args, {
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, ...env },
    });
    const deadline = setTimeout(() => child.kill("SIGKILL"), 15 * 60_000);
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      clearTimeout(deadline);
      resolvePromise(code ?? (signal ? 128 : 1));
    });
  });
}

/**
 * After the run: heal every fault, let the old active rejoin and replication settle, then look
 * up every acknowledged write on the region that is active now.
 */
export async function checkWrites(
  stack: RunningStack,
  initialActive: string,
  logFile: string,
  log: (line: string) => void,
): Promise<WritesVerdict> {
  await stack.faults.heal();
  const settled = await waitForSettle(stack, 30_000);
  const status = (await stack.status()) as StackStatus;
  const activeNow = status.router.activeRegion;
  if (!settled) log("warning: replication did not settle within 30 s; checking anyway");
  const acked = readAckedWrites(logFile);
  const expected = expectedFinalValues(acked);
  const readBack = await readItems(
    stack.regionUrls[activeNow]!,
    expected.map((e) => e.id),
  );
  const { missingIds, staleIds } = compareFinalValues(expected, readBack);
  if (process.env.FAILOVER_DEBUG) {
    for (const id of [...missingIds, ...staleIds])
      log(`lost ${id}: read ${JSON.stringify(readBack.get(id) ?? null)}`);
  }
  const orphanedIds =
    activeNow === initialActive ? [] : await orphanedIdsOf(stack.regionUrls[initialActive]!);
  const verdict = judgeWrites({
    mode: stack.config.replication.mode,
    acknowledgedIds: expected.map((e) => e.id),
    missingIds,
    staleIds,
    orphanedIds,
  });
  const acks = acked.filter((a) => a.acknowledged);
  const updates = acks.filter((a) => a.kind === "update").length;
  log(
    `writes: read back ${expected.length} items for ${acks.length} acknowledged writes ` +
      `(${acks.length - updates} creates, ${updates} updates): ${verdict.detail} (active now: ${activeNow})`,
  );
  return verdict;
}

/** Each item's `data` as the region holds it now; absent from the map when not found. */
async function readItems(regionUrl: string, ids: readonly string[]): Promise<Map<string, unknown>> {
  const found = new Map<string, unknown>();
  for (let i = 0; i < ids.length; i += 50) {
    const slice = ids.slice(i, i + 50);
    await Promise.all(
      slice.map(async (id) => {
        const res = await fetch(`${regionUrl}/items/${id}`);
        if (res.status === 200) found.set(id, ((await res.json()) as { data?: unknown }).data);
        else await res.body?.cancel();
      }),
    );
  }
  return found;
}

/**
 * The faults and the router's decision log as the run left them (which probe or trip detected
 * the fault, when the compare-and-set answered), for reading a run's promotion afterwards.
 */
async function saveDecisions(stack: RunningStack, file: string): Promise<void> {
  const status = (await stack.status()) as StackStatus;
  const faults = stack.faults.history();
  writeFileSync(file, JSON.stringify({ faults, decisions: status.router.decisions }, null, 2));
}

async function promotionDelay(
  stack: RunningStack,
): Promise<
  { promoteAfterFaultMs: number; promotedBecause?: string; detectAfterFaultMs?: number } | undefined
> {
  const [fault] = stack.faults.history();
  const status = (await stack.status()) as StackStatus;
  const promotedAtMs = status.router.lastPromotionAtMs;
  if (!fault || promotedAtMs === undefined || promotedAtMs < fault.startedAtMs) return undefined;
  const after = status.router.decisions.filter((d) => d.atMs >= fault.startedAtMs);
  const promote = after.find((d) => d.kind === "promote");
  // As the simulator's report counts a detection (simulator/report/router-observer.ts: isDetection).
  const detect = after.find(
    (d) => (d.kind === "health" && d.reason.startsWith("down")) || d.kind === "passive",
  );
  return {
    promoteAfterFaultMs: promotedAtMs - fault.startedAtMs,
    ...(detect ? { detectAfterFaultMs: detect.atMs - fault.startedAtMs } : {}),
    ...(promote ? { promotedBecause: promote.reason } : {}),
  };
}

interface StackStatus {
  router: {
    activeRegion: string;
    lastPromotionAtMs?: number;
    decisions: { atMs: number; kind: string; reason: string }[];
  };
  regions: { name: string; up: boolean; role: string; replication: { lagEntries: number } }[];
}

async function waitForSettle(stack: RunningStack, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = (await stack.status()) as StackStatus;
    const allUp = status.regions.every((r) => r.up && r.role !== "unknown");
    const caughtUp = status.regions.every((r) => r.replication.lagEntries === 0);
    if (allUp && caughtUp) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

async function orphanedIdsOf(regionUrl: string): Promise<string[]> {
  const res = await fetch(`${regionUrl}/region/orphaned`);
  if (!res.ok) return [];
  const body = (await res.json()) as { orphaned: { itemId: string; kind: string }[] };
  return body.orphaned.filter((o) => o.kind === "put").map((o) => o.itemId);
}

/** Adds the write check to the k6 summary so CI's closing line counts it like a threshold. */
function recordWritesCheck(summaryFile: string, writes: WritesVerdict): void {
  if (!existsSync(summaryFile)) return;
  const summary = JSON.parse(readFileSync(summaryFile, "utf8"));
  summary.thresholds["acknowledged writes explained"] = writes.ok;
  summary.writes = writes;
  writeFileSync(summaryFile, JSON.stringify(summary, null, 2));
}
