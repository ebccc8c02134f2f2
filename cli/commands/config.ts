import { execFileSync } from "node:child_process";
import { relative } from "node:path";
import type { Command } from "commander";
import { ConfigError, type ConfigProblem } from "../../config/config-error.ts";
import { diffConfigs, formatChanges } from "../../config/diff-config.ts";
import { checkEnvName } from "../../config/env-name.ts";
import {
  environmentFile,
  loadConfigFile,
  loadEnvironment,
  parseConfigText,
} from "../../config/load-config.ts";
import { ENV_NAMES, type EnvironmentConfig } from "../../config/schema.ts";
import { CliError, UsageError } from "../../core/cli-error.ts";
import { formatInputProblem } from "../../core/input-problem.ts";

export function register(program: Command): void {
  const config = program
    .command("config")
    .description("Validate and compare the environments' checked-in configs");

  config
    .command("validate")
    .description(
      "Check environment configs against the schema; list every problem as file:line:column: field: reason",
    )
    .option("--env <name>", "validate one environment (default: all of development, staging, production)")
    .argument("[files...]", "config files to validate instead of the checked-in environments")
    .action((files: string[], options: { env?: string }) => {
      const targets = files.length
        ? files
        : options.env
          ? [environmentFile(checkEnvName(options.env, "--env"))]
          : ENV_NAMES.map(environmentFile);
      const problems: ConfigProblem[] = [];
      for (const file of targets) {
        try {
          const env = loadConfigFile(file);
          const [active, standby] = orderRegions(env);
          process.stdout.write(
            `ok  ${relative(process.cwd(), file)} (${env.name}: ${active} active, ${standby} standby, ` +
              `${env.store.kind} store, ${env.replication.mode} replication)\n`,
          );
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          problems.push(...error.problems);
        }
      }
      if (problems.length) {
        for (const p of problems) process.stderr.write(`error: ${formatInputProblem(p)}\n`);
        throw new CliError(`${problems.length} problem(s) found`, 2);
      }
    });

  config
    .command("diff")
    .description(
      "Show field by field what changes between two environments, two files, or a file and a git revision",
    )
    .option("--env <name>", "an environment to compare (give --env twice)", collect, [] as string[])
    .option(
      "--git-ref <ref>",
      "compare the environment's file at this git revision (e.g. HEAD) with the working copy",
    )
    .option("--exit-code", "exit 1 when there are differences (for CI)")
    .argument("[files...]", "two config files to compare")
    .addHelpText(
      "after",
      "\nExamples:\n  failover config diff --env staging --env production\n" +
        "  failover config diff --env production --git-ref HEAD     # what my edit changes\n" +
        "  failover config diff old.json new.json\n\nDefaults are applied first, so the diff shows the effective values.",
    )
    .action((files: string[], options: { env: string[]; gitRef?: string; exitCode?: boolean }) => {
      const [left, right, labels] = pickSides(files, options);
      const changes = diffConfigs(left, right);
      process.stdout.write(formatChanges(changes, labels));
      if (options.exitCode && changes.length) process.exitCode = 1;
    });
}

function pickSides(
  files: string[],
  options: { env: string[]; gitRef?: string },
): [EnvironmentConfig, EnvironmentConfig, [string, string]] {
  if (options.gitRef !== undefined) {
    if (options.env.length !== 1) throw new UsageError("--git-ref needs exactly one --env");
    const env = checkEnvName(options.env[0]!, "--env");
    const file = relative(process.cwd(), environmentFile(env));
    const old = loadFromGit(options.gitRef, file);
    return [old, loadEnvironment(env), [`${file}@${options.gitRef}`, `${file} (working copy)`]];
  }
  if (files.length === 2 && options.env.length === 0) {
    return [loadConfigFile(files[0]!), loadConfigFile(files[1]!), [files[0]!, files[1]!]];
  }
  if (options.env.length === 2 && files.length === 0) {
    const [a, b] = options.env.map((e) => checkEnvName(e, "--env"));
    return [loadEnvironment(a!), loadEnvironment(b!), [a!, b!]];
  }
  throw new UsageError("give two environments (--env A --env B), two files, or --env E --git-ref REF");
}

function loadFromGit(ref: string, file: string): EnvironmentConfig {
  let text: string;
  try {
    text = execFileSync("git", ["show", `${ref}:${file}`], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch {
    throw new UsageError(`cannot read ${file} at git revision "${ref}"`);
  }
  return parseConfigText(text, `${file}@${ref}`);
}

function orderRegions(env: EnvironmentConfig): [string, string] {
  const standby = env.regions.find((r) => r.name !== env.initialActive)!.name;
  return [env.initialActive, standby];
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
