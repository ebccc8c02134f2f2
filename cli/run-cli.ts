import { readFileSync } from "node:fs";
import { type Command, CommanderError } from "commander";
import { ConfigError } from "../config/config-error.ts";
import { CliError, EXIT_CODES_HELP, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from "../core/cli-error.ts";
import { formatInputProblem } from "../core/input-problem.ts";
import { SimInputError } from "../simulator/input/input-error.ts";

/**
 * The CLI's one convention for errors and exit codes (core/cli-error.ts): 0 ok, 1 a check or
 * invariant failed, 2 bad usage or input. Commands throw CliError/UsageError (or ConfigError,
 * SimInputError for a bad file); this module prints one line per problem on stderr and sets the
 * exit code. A user never sees a stack trace unless FAILOVER_DEBUG=1.
 */
export async function runCli(program: Command, argv: string[]): Promise<void> {
  const version = packageVersion();
  program.version(version, "-V, --version", "print the version and exit");
  for (const command of allCommands(program)) {
    command.exitOverride();
    command.showHelpAfterError(false);
    command.configureOutput({ outputError: (text, write) => write(oneLine(text, command)) });
    command.addHelpText("after", `\n${EXIT_CODES_HELP}`);
  }
  // Errors thrown after a command returned (a server's callback, a stray rejection): one line too.
  process.on("uncaughtException", onUncaught);
  process.on("unhandledRejection", onUncaught);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    process.exitCode = reportError(error);
  }
}

function onUncaught(error: unknown): void {
  process.exitCode = reportError(error);
  process.exit();
}

/** Prints the error (one line per problem) and returns the exit code it means. */
export function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its message (or the help text, or the version).
    const printedOnPurpose = ["commander.helpDisplayed", "commander.help", "commander.version"];
    if (printedOnPurpose.includes(error.code)) return EXIT_OK;
    return EXIT_USAGE;
  }
  if (error instanceof ConfigError) {
    for (const p of error.problems) process.stderr.write(`error: ${formatInputProblem(p)}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof SimInputError) {
    process.stderr.write(`error: bad scenario:\n  ${error.message.split("\n").join("\n  ")}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof CliError) {
    process.stderr.write(`error: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (process.env.FAILOVER_DEBUG === "1" && error instanceof Error)
    process.stderr.write(`error: ${error.stack}\n`);
  else process.stderr.write(`error: ${firstLine(message)} (FAILOVER_DEBUG=1 shows where)\n`);
  return EXIT_FAILED;
}

/** Commander's "error: unknown option '--sed'\n(Did you mean --seed?)" as one line, with where to look. */
function oneLine(text: string, command: Command): string {
  const joined = text.trim().split("\n").join(" ");
  return `${joined} (see \`${commandPath(command)} --help\`)\n`;
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? "";
}

function* allCommands(command: Command): Generator<Command> {
  yield command;
  for (const sub of command.commands) yield* allCommands(sub);
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return `failover ${pkg.version}`;
}
