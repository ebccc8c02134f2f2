/**
 * Bad input or an unsafe situation found by deploy code before it changes anything (a hosted
 * zone that does not exist, no credentials, a region not in the config). The CLI prints the
 * message and exits non-zero; the library never prints. `usage` marks what the user typed or
 * pointed at (a flag's value, a missing --yes, production from ENV_NAME): the CLI exits 2 for
 * it and 1 for the rest (core/cli-error.ts).
 */
export class DeployError extends Error {
  override name = "DeployError";
  constructor(
    message: string,
    readonly kind: "usage" | "refused" = "refused",
  ) {
    super(message);
  }
}
