/**
 * The exit codes every `failover` command uses, and the error a command throws to end with one.
 * It lives in core/ so deploy/, stack/ and loadtests/ can throw it without importing cli/ (the
 * layer above them); cli/run-cli.ts is the one place that prints it and sets the exit code.
 */
export const EXIT_OK = 0;
/** The command ran and found a problem: an invariant or check failed, a fault was refused, a service could not be reached. */
export const EXIT_FAILED = 1;
/** The command never started: unknown command or flag, a bad value, a file that is missing or invalid. */
export const EXIT_USAGE = 2;

export type ExitCode = typeof EXIT_OK | typeof EXIT_FAILED | typeof EXIT_USAGE;

/** What `--help` says, on every command. */
export const EXIT_CODES_HELP =
  "Exit codes: 0 ok, 1 a check or invariant failed (or a service refused or could not be reached),\n" +
  "2 bad usage or input (unknown flag, bad value, bad file). Errors are one line on stderr.";

/** A failure the user should read: the CLI prints `error: <message>` and exits with `exitCode`; never a stack trace. */
export class CliError extends Error {
  override name = "CliError";
  constructor(
    message: string,
    readonly exitCode: typeof EXIT_FAILED | typeof EXIT_USAGE = EXIT_FAILED,
  ) {
    super(message);
  }
}

/** Bad usage or input (exit 2): what the user typed or pointed at is wrong, nothing was done. */
export class UsageError extends CliError {
  override name = "UsageError";
  constructor(message: string) {
    super(message, EXIT_USAGE);
  }
}
