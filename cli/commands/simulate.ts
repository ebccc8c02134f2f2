import { type Command, InvalidArgumentError } from "commander";
import type { SimulateOptions } from "../../simulator/run/simulate-command.ts";

/**
 * `failover simulate [scenario.yaml]`: the main job. Runs the real router and regions in virtual
 * time under a scenario (default simulator/scenarios/prod-us-outage.yaml) and reports what users
 * would see. The simulator is imported inside the action so `failover --help` stays fast.
 */
export function register(program: Command): void {
  const simulate = program
    .command("simulate")
    .description("rehearse an outage: run the real router and regions in virtual time under a scenario")
    .argument("[scenario]", "scenario YAML file (default simulator/scenarios/prod-us-outage.yaml)");
  addRunOptions(simulate)
    .option("--compare <scenarios...>", "run these scenarios too, side by side in one report")
    .option(
      "--explain",
      "print what each figure of the report means (detect, promote, RTO, RPO, ...) and exit",
    )
    .addHelpText(
      "after",
      "\nExit 1 means an invariant broke or a scenario's expectation was not met; the last line is then\n" +
        "the command that reproduces the run.",
    )
    .action(async (scenario: string | undefined, opts: RawOptions & { explain?: boolean }) => {
      if (opts.explain) {
        const { explainText } = await import("../../simulator/report/glossary.ts");
        process.stdout.write(`${explainText()}\n`);
        return;
      }
      await run(scenario, opts, false);
    });

  addRunOptions(
    simulate
      .command("sweep")
      .description("health-check interval x fall threshold: detection time against false failovers")
      .argument(
        "[scenario]",
        "a scenario with a sweep: block (default simulator/scenarios/sweep-health-checks.yaml)",
      ),
  ).action(async (scenario: string | undefined, opts: RawOptions, command: Command) => {
    await run(scenario, withParentOptions(opts, command), true);
  });
}

/** What commander parses: the simulator's options but `sweep`, which the subcommand sets. */
type RawOptions = Omit<SimulateOptions, "sweep">;

/**
 * `simulate sweep --out dir`: unless the root program enables positional options, commander
 * gives options written after `sweep` to `simulate`, which declares the same ones. Take the ones
 * the user actually typed from the parent.
 */
function withParentOptions(opts: RawOptions, command: Command): RawOptions {
  const parent = command.parent;
  if (!parent) return opts;
  const merged: Record<string, unknown> = { ...opts };
  for (const [key, value] of Object.entries(parent.opts())) {
    if (parent.getOptionValueSource(key) === "cli") merged[key] = value;
  }
  return merged as unknown as RawOptions;
}

function addRunOptions(command: Command): Command {
  return command
    .option("--seed <n>", "the run's seed (default: the scenario's, else 1)", parseSeed)
    .option(
      "--seeds <n>",
      "run seeds seed .. seed+n-1: one row per run, and detection, promotion and RTO as spreads (min/median/p90/max)",
      parseSeedCount,
    )
    .option("--out <dir>", "where the JSON and HTML reports go", "reports")
    .option("--json", "print the JSON result on stdout (the summary goes to stderr)")
    .option("--no-html", "skip the HTML report")
    .option(
      "--scale-time <factor>",
      "multiply every time in the scenario (a quick preview: 0.1)",
      parseFactor,
    )
    .option("--scale-rate <factor>", "multiply every client's request rate", parseFactor)
    .option(
      "--jobs <n>",
      "worker threads for independent runs (sweep cells, --compare, --seeds); default one per core",
      parseCount,
    );
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 1024)
    throw new InvalidArgumentError("a count is an integer from 1 to 1024");
  return n;
}

async function run(scenario: string | undefined, opts: RawOptions, sweep: boolean): Promise<void> {
  const { simulate } = await import("../../simulator/run/simulate-command.ts");
  // A bad scenario file throws SimInputError, which cli/run-cli.ts reports with exit 2.
  const outcome = await simulate(scenario, { ...opts, sweep });
  process.exitCode = outcome.exitCode;
}

function parseSeed(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n > 2 ** 32 - 1) {
    throw new InvalidArgumentError("a seed is an integer from 0 to 4294967295");
  }
  return n;
}

function parseSeedCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 1000)
    throw new InvalidArgumentError("--seeds is a count from 1 to 1000");
  return n;
}

function parseFactor(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 1000)
    throw new InvalidArgumentError("a factor is a number above 0 (e.g. 0.1)");
  return n;
}
