import { resolve } from "node:path";
import { checkEnvName, resolveEnvName } from "../../config/env-name.ts";
import { loadConfigFile, loadEnvironment } from "../../config/load-config.ts";
import type { EnvironmentConfig, EnvName } from "../../config/schema.ts";
import { DeployError } from "../deploy-error.ts";

/**
 * Which environment a deploy or DNS command acts on, and its config.
 *
 * `--env` names it; without the flag the usual resolution applies (USER_ENV_NAME, ENV_NAME,
 * else development). A command that changes things refuses production unless `--env
 * production` was typed: a shell or CI job that happens to export ENV_NAME=production must
 * never deploy to production by default (docs/seeds.md: never default to production).
 */
export interface TargetOptions {
  envFlag?: string;
  /** Another config file for the same environment (tests, reviews of a proposed change). */
  configFile?: string;
  /** Does the command change anything (deploy, failover, failback)? Reads may use ENV_NAME. */
  changes: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface Target {
  name: EnvName;
  /** Was the environment named by `--env` on the command line? */
  explicit: boolean;
  config: EnvironmentConfig;
}

export function resolveTarget(options: TargetOptions): Target {
  const env = options.env ?? process.env;
  const explicit = options.envFlag !== undefined;
  const name = explicit ? checkEnvName(options.envFlag!, "--env") : resolveEnvName(env);
  if (name === "production" && !explicit && options.changes) {
    const from = env.USER_ENV_NAME ? "USER_ENV_NAME" : "ENV_NAME";
    throw new DeployError(
      `refusing to change production: the environment came from ${from}=production, not from the command line. ` +
        "Production changes need an explicit --env production. Nothing was changed.",
      "usage",
    );
  }
  const config =
    options.configFile === undefined ? loadEnvironment(name) : loadConfigFile(resolve(options.configFile));
  if (config.name !== name) {
    throw new DeployError(
      `${options.configFile} is the config of environment "${config.name}", not "${name}" (--env); nothing was changed`,
      "usage",
    );
  }
  return { name, explicit, config };
}
