import { ConfigError } from "./config-error.ts";
import { ENV_NAMES, type EnvName } from "./schema.ts";

/**
 * Which environment this process runs as. Deployment sets ENV_NAME; an operator may override it
 * with USER_ENV_NAME (seed 004, docs/seeds.md). With neither set, a local
 * run is development, never production. A name outside the allowed set is an error, not a default.
 */
export function resolveEnvName(env: Record<string, string | undefined> = process.env): EnvName {
  for (const variable of ["USER_ENV_NAME", "ENV_NAME"] as const) {
    const value = env[variable];
    if (value === undefined || value === "") continue;
    return checkEnvName(value, `environment variable ${variable}`);
  }
  return "development";
}

export function checkEnvName(value: string, source: string): EnvName {
  if ((ENV_NAMES as readonly string[]).includes(value)) return value as EnvName;
  throw new ConfigError([
    {
      file: source,
      field: "",
      reason: `"${value}" is not an environment; expected one of ${ENV_NAMES.join(", ")}`,
    },
  ]);
}
