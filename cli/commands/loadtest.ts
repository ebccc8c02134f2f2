import { type Command, Option } from "commander";
import { CliError, UsageError } from "../../core/cli-error.ts";
import { parseDurationMs } from "../duration.ts";

export function register(program: Command): void {
  program
    .command("loadtest <script>")
    .description(
      "Start the live stack, run a k6 script against it (steady, failover, spike, soak), stop the stack",
    )
    .option("--env <name>", "environment whose topology and policy to run", "production")
    .addOption(new Option("--replication <mode>", "replication mode for the run").choices(["async", "sync"]))
    .addOption(
      new Option("--store <kind>", "region stores").choices(["memory", "dynamodb"]).default("memory"),
    )
    .option("--dynamodb-endpoint <url>", "DynamoDB-compatible endpoint for --store dynamodb")
    .option("--duration <d>", "how long the load runs (e.g. 30s); the script's default otherwise")
    .option("--rate <n>", "requests per second; the script's default otherwise")
    .option("--fault-at <d>", "failover script: when prod-us goes down", "10s")
    .option("--fault-for <d>", "failover script: how long it stays down", "15s")
    .option("--client-location <loc>", "where the load comes from (latency table location)")
    .option("--latency-table <name|file>", "latency table", "inter-region")
    .option("--results <dir>", "where k6 summaries and logs go", "results")
    .option("--compare-sim", "also run the same outage in the simulator and print both side by side")
    .addHelpText(
      "after",
      "\nExits non-zero if a k6 threshold failed or an acknowledged write is missing without explanation.\n" +
        "Load goes only to 127.0.0.1. k6 is built into .tools/bin on first use if it is not on PATH.",
    )
    .action(async (script: string, flags) => {
      const { stackOptionsFromFlags } = await import("../../stack/stack-from-flags.ts");
      const { runLoadtest } = await import("../../loadtests/runner/run-loadtest.ts");
      const { freePort } = await import("../../core/free-port.ts");
      const durationS = flags.duration ? parseDurationMs(flags.duration, "--duration") / 1000 : undefined;
      const faultAtS = parseDurationMs(flags.faultAt, "--fault-at") / 1000;
      const faultForS = parseDurationMs(flags.faultFor, "--fault-for") / 1000;
      const ratePerS = flags.rate ? Number(flags.rate) : undefined;
      if (ratePerS !== undefined && !(ratePerS > 0 && ratePerS <= 5000))
        throw new UsageError("--rate must be in (0, 5000]");
      const stack = await stackOptionsFromFlags({
        ...flags,
        host: "127.0.0.1",
        port: await freePort(),
        controlPort: await freePort(),
      });
      const log = (line: string) => process.stderr.write(`loadtest: ${line}\n`);
      if (flags.compareSim && script !== "failover")
        throw new UsageError("--compare-sim compares the failover script's outage");
      const result = await runLoadtest({
        script,
        stack,
        resultsDir: flags.results,
        ...(durationS ? { durationS } : {}),
        ...(ratePerS ? { ratePerS } : {}),
        scriptEnv: {
          FAULT_AT_S: String(faultAtS),
          FAULT_FOR_S: String(faultForS),
          // --compare-sim: measure the stack's own cost first, for the simulator's capacity model.
          ...(flags.compareSim ? { CALIBRATE: "1" } : {}),
        },
        requestsOutput: flags.compareSim === true,
        log,
      }).catch((error: Error) => {
        throw error instanceof CliError ? error : new CliError(error.message);
      });
      if (flags.compareSim) {
        const { compareWithSimulator } = await import("../../loadtests/runner/compare-sim.ts");
        if (!result.requestsFile) throw new CliError("k6 wrote no per-request output to compare");
        await compareWithSimulator({
          summaryFile: result.summaryFile,
          requestsFile: result.requestsFile,
          loadAverage: result.loadAverage,
          stackProcess: result.stackProcess,
          stack,
          log,
          durationS: durationS ?? 30,
          ratePerS: ratePerS ?? 50,
          faultAtS,
          faultForS,
          promoteAfterFaultMs: result.promoteAfterFaultMs,
          promotedBecause: result.promotedBecause,
          detectAfterFaultMs: result.detectAfterFaultMs,
        });
      }
      const failed: string[] = [];
      if (!result.thresholdsOk) failed.push(`k6 thresholds failed (k6 exit ${result.k6ExitCode})`);
      if (result.writes && !result.writes.ok) failed.push(result.writes.detail);
      if (failed.length) throw new CliError(failed.join("; "));
      log(`passed; summary in ${result.summaryFile}`);
    });
}
