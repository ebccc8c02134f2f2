/**
 * An error a command reports to its user as one line and a non-zero exit, never as a stack
 * trace (cli/run-cli.ts prints it). Here, below every layer, so that deploy/ and the other parts
 * a command runs can throw it without importing the CLI (see .dependency-cruiser.cjs).
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
