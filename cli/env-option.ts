import { checkEnvName, resolveEnvName } from "../regions/config/env-name.ts";
import type { EnvName } from "../regions/config/schema.ts";

/** `--env E` if given (checked), else ENV_NAME / USER_ENV_NAME, else development. */
export function envFromOption(value: string | undefined): EnvName {
  return value === undefined ? resolveEnvName() : checkEnvName(value, "--env");
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0-65535, got "${value}"`);
  return port;
}
