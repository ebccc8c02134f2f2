/**
 * `npm run lincheck -- --runs 10 --seconds 20`: records sync-mode histories through the router of
 * the live stack across every fault in fault-table.ts, checks each with Porcupine (tools/lincheck)
 * and prints a table. `--wait-point both` also runs the after-commit wait point (the behaviour
 * before issue 19's (docs/issues.md) fix) in the same run, for the checker's verdict and the read latency it saves.
 */
import { Command, InvalidArgumentError } from "commander";
import { LINCHECK_FAULTS } from "./fault-table.ts";
import { percentile, recordLiveHistory } from "./live-history.ts";
import { checkHistory, ensureLincheck } from "./run-lincheck.ts";

interface Row {
  fault: string;
  waitPoint: string;
  runs: number;
  linearizable: number;
  violations: number;
  undecided: number;
  /** Runs that never reached the fault (the router failed over on its own: a busy machine). */
  aborted: number;
  promoted: number;
  ops: number[];
  readMs: number[];
  failures: string[];
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a positive integer");
  return n;
}

async function main(): Promise<void> {
  const program = new Command("lincheck")
    .option("--runs <n>", "runs per fault", positiveInt, 10)
    .option("--seconds <s>", "length of each run", positiveInt, 20)
    .option("--fault-at <s>", "when the fault starts (default: a third of the run)", positiveInt)
    .option("--faults <labels>", `comma-separated, of: ${LINCHECK_FAULTS.map((f) => f.label).join(", ")}`)
    .option("--wait-point <point>", "after-sync, after-commit or both", "after-sync")
    .parse();
  const opts = program.opts<{
    runs: number;
    seconds: number;
    faultAt?: number;
    faults?: string;
    waitPoint: string;
  }>();
  const labels = opts.faults?.split(",") ?? LINCHECK_FAULTS.map((f) => f.label);
  const faults = labels.map((label) => {
    const found = LINCHECK_FAULTS.find((f) => f.label === label);
    if (!found) program.error(`lincheck: --faults: no fault "${label}"`);
    return found!;
  });
  const points = opts.waitPoint === "both" ? ["after-commit", "after-sync"] : [opts.waitPoint];
  if (!points.every((p) => p === "after-sync" || p === "after-commit"))
    program.error(`lincheck: --wait-point: "${opts.waitPoint}" is not after-sync, after-commit or both`);
  await ensureLincheck();
  const durationMs = opts.seconds * 1000;
  const faultAtMs = (opts.faultAt ?? Math.max(1, Math.round(opts.seconds / 3))) * 1000;
  const rows: Row[] = [];
  for (const fault of faults) {
    for (const waitPoint of points as ("after-sync" | "after-commit")[]) {
      const row: Row = {
        fault: fault.label,
        waitPoint,
        runs: 0,
        linearizable: 0,
        violations: 0,
        undecided: 0,
        aborted: 0,
        promoted: 0,
        ops: [],
        readMs: [],
        failures: [],
      };
      rows.push(row);
      for (let run = 1; run <= opts.runs; run++) {
        const name = `${fault.label}-${waitPoint}-${run}`;
        const live = await recordLiveHistory({
          fault,
          durationMs,
          faultAtMs,
          syncWaitPoint: waitPoint,
        }).catch((error: Error) => error);
        if (live instanceof Error) {
          row.aborted++;
          console.error(`${name}: aborted: ${live.message.slice(0, 300)}`);
          continue;
        }
        const checked = await checkHistory(live.history, name);
        row.runs++;
        row.ops.push(live.history.ops.length);
        row.readMs.push(...live.readLatenciesMs);
        if (live.promoted) row.promoted++;
        if (checked.exitCode === 0) row.linearizable++;
        else if (checked.exitCode === 1) {
          row.violations++;
          row.failures.push(`${name}: ${checked.output.split("\n").slice(0, 12).join("\n    ")}`);
        } else row.undecided++;
        console.error(`${name}: ${checked.output.split("\n")[0]}`);
        // A fault that should fail over and did not: say why, in the router's own words.
        if (fault.failsOver && !live.promoted) {
          console.error(
            `${name}: not promoted; the router's last decisions:\n    ${live.decisions.slice(-8).join("\n    ")}`,
          );
        }
      }
    }
  }
  printTable(rows, opts.seconds, faultAtMs / 1000);
  process.exitCode = rows.some((r) => r.waitPoint === "after-sync" && r.violations + r.undecided > 0) ? 1 : 0;
}

function printTable(rows: Row[], seconds: number, faultAtS: number): void {
  console.log(
    `\n${seconds} s runs, 8 writers + 8 readers on 5 items through the router, sync replication, fault at ${faultAtS} s`,
  );
  console.log(
    "| fault | wait point | runs | linearizable | not | undecided | aborted before the fault | promoted | ops/run (median) | read p50 / p99 before the fault |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|");
  for (const r of rows) {
    const p50 = percentile(r.readMs, 50).toFixed(1);
    const p99 = percentile(r.readMs, 99).toFixed(1);
    console.log(
      `| ${r.fault} | ${r.waitPoint} | ${r.runs} | ${r.linearizable} | ${r.violations} | ${r.undecided} | ${r.aborted} | ${r.promoted} | ${percentile(r.ops, 50)} | ${p50} / ${p99} ms |`,
    );
  }
  for (const r of rows) for (const f of r.failures) console.log(`\n${f}`);
}

await main();
