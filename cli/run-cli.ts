import { type Command, CommanderError } from "commander";
import { ConfigError } from "../config/config-error.ts";

/**
 * A user never sees a stack trace: known errors print their message and exit non-zero;
 * anything unexpected prints one line and asks for FAILOVER_DEBUG=1 to see the stack.
 */
export class CliError extends Error {
  override name = "CliError";
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

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
