import { type Command, CommanderError } from "commander";
import { ConfigError } from "../config/config-error.ts";
import { CliError } from "../core/cli-error.ts";

/**
 * A user never sees a stack trace: known errors print their message and exit non-zero;
 * anything unexpected prints one line and asks for FAILOVER_DEBUG=1 to see the stack.
 * CliError itself lives in core/ so that deploy/ can throw it without importing the CLI.
 */
export { CliError };

export async function runCli(program: Command, argv: string[]): Promise<void> {
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    process.exitCode = reportError(error);
  }
}

export function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its message (or the help text).
    return error.exitCode;
  }
  if (error instanceof ConfigError) {
    process.stderr.write("configuration error:\n");
    for (const p of error.problems)
      process.stderr.write(`  ${p.file}: ${p.field || "(root)"}: ${p.reason}\n`);
    return 2;
  }
  if (error instanceof CliError) {
    process.stderr.write(`error: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${message}\n`);
  if (process.env.FAILOVER_DEBUG === "1" && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write("(set FAILOVER_DEBUG=1 for details)\n");
  return 1;
}
