import { type Command, InvalidArgumentError } from "commander";
import type { SimulateOptions } from "../../simulator/run/simulate-command.ts";
import { CliError } from "../run-cli.ts";

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
    .addHelpText(
      "after",
      "\nExit codes: 0 ok, 1 an invariant broke (the last line is the command that reproduces the run),\n" +
        "2 bad scenario or option, 3 a scenario's expectation was not met.",
    )
    .action(async (scenario: string | undefined, opts: RawOptions) => {
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
      "run seeds seed .. seed+n-1 and report detection, promotion and RTO as spreads (min/median/p90/max)",
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
    .option("--scale-rate <factor>", "multiply every client's request rate", parseFactor);
}

async function run(scenario: string | undefined, opts: RawOptions, sweep: boolean): Promise<void> {
  const { simulate, SweepInputError } = await import("../../simulator/run/simulate-command.ts");
  const { SimInputError } = await import("../../simulator/input/input-error.ts");
  try {
    const outcome = await simulate(scenario, { ...opts, sweep });
    process.exitCode = outcome.exitCode;
  } catch (error) {
    if (error instanceof SimInputError)
      throw new CliError(`bad scenario:\n  ${error.message.split("\n").join("\n  ")}`, 2);
    if (error instanceof SweepInputError) throw new CliError(error.message, 2);
    throw error;
  }
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
