import { InvalidArgumentError } from "commander";
import { checkEnvName, resolveEnvName } from "../config/env-name.ts";
import type { EnvName } from "../config/schema.ts";
import { UsageError } from "../core/cli-error.ts";

/** `--env E` if given (checked), else ENV_NAME / USER_ENV_NAME, else development. */
export function envFromOption(value: string | undefined): EnvName {
  return value === undefined ? resolveEnvName() : checkEnvName(value, "--env");
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be 0-65535, got "${value}"`);
  return port;
}

/** A commander argument parser for ports: a bad value is a usage error naming the option. */
export function portArg(value: string): number {
  try {
    return parsePort(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** Resolves when the process is asked to stop (Ctrl-C or SIGTERM). */
export function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
}
