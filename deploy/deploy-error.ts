/**
 * Bad input or an unsafe situation found by deploy code before it changes anything (a hosted
 * zone that does not exist, no credentials, a region not in the config). The CLI prints the
 * message and exits non-zero; the library never prints.
 */
export class DeployError extends Error {
  override name = "DeployError";
}
