import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { ConfigError } from "../../config/config-error.ts";
import type { EnvironmentConfig } from "../../config/schema.ts";
import { CliError, UsageError } from "../../core/cli-error.ts";
import { type DeployResult, deployEnvironment } from "../apply/deploy-environment.ts";
import { destroyEnvironment } from "../apply/destroy-environment.ts";
import { applySavedPlan, readSavedPlan } from "../apply/saved-plan.ts";
import { buildRouterArtifacts, ROOT } from "../artifacts/build-router-artifacts.ts";
import { type AwsClients, createAwsClients } from "../aws/clients.ts";
import { hasChanges } from "../plan/compute-plan.ts";
import { confirm } from "./confirm.ts";
import { applyHealthCheckFlags } from "./health-check-flags.ts";
import { resolveTarget } from "./target-environment.ts";
import { toCliError } from "./to-cli-error.ts";

export interface DeployCommandFlags {
  env?: string;
  config?: string;
  dryRun?: boolean;
  yes?: boolean;
  requestIntervalS?: string;
  failureThreshold?: string;
  /** A built router package to deploy instead of building one (CI deploys what it tested). */
  artifact?: string;
  json?: boolean;
  out?: string;
  detailedExitcode?: boolean;
}

export interface DestroyCommandFlags {
  env?: string;
  config?: string;
  dryRun?: boolean;
  yes?: boolean;
  deleteData?: boolean;
  json?: boolean;
  detailedExitcode?: boolean;
}

interface Io {
  out: (text: string) => void;
  log: (text: string) => void;
}

/** With --json the plan alone goes to stdout, so a pipe gets parseable JSON; the rest to stderr. */
function io(json: boolean | undefined): Io {
  const stdout = (text: string) => void process.stdout.write(text);
  const stderr = (text: string) => void process.stderr.write(text);
  return { out: stdout, log: json ? stderr : stdout };
}

/** `failover deploy`: the checks that need no AWS call first, then the deploy itself. */
export async function runDeployCommand(
  flags: DeployCommandFlags,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  await planCommand(flags, env, async (target, { out, log }) => {
    const config = applyHealthCheckFlags(target.config, {
      ...(flags.requestIntervalS === undefined ? {} : { requestIntervalS: flags.requestIntervalS }),
      ...(flags.failureThreshold === undefined ? {} : { failureThreshold: flags.failureThreshold }),
    });
    const routerZip = await routerPackage(config, flags.artifact, log);
    return withAwsClients(config, env, (clients) =>
      deployEnvironment({
        config,
        clients,
        dryRun: flags.dryRun === true,
        out,
        log,
        ...(routerZip === undefined ? {} : { routerZip }),
        ...(flags.json ? { json: true } : {}),
        ...(flags.out === undefined ? {} : { savePlanTo: flags.out }),
        ...(flags.config === undefined ? {} : { configFile: resolve(flags.config) }),
        confirm: () => confirm({ yes: flags.yes === true, question: `Apply this plan to ${config.name}?` }),
      }),
    );
  });
}

/** `failover deploy destroy`. */
export async function runDestroyCommand(
  flags: DestroyCommandFlags,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  await planCommand(flags, env, (target, { out, log }) =>
    withAwsClients(target.config, env, (clients) =>
      destroyEnvironment({
        config: target.config,
        clients,
        dryRun: flags.dryRun === true,
        deleteData: flags.deleteData === true,
        out,
        log,
        ...(flags.json ? { json: true } : {}),
        confirm: () =>
          confirm({ yes: flags.yes === true, question: `Delete these resources of ${target.config.name}?` }),
      }),
    ),
  );
}

/**
 * What `deploy` and `deploy destroy` share: output by --json (io), the environment from --env /
 * --config, else ENV_NAME (targetFromFlags), and exit codes by --detailed-exitcode (exitCodes).
 */
async function planCommand(
  flags: { env?: string; config?: string; json?: boolean; detailedExitcode?: boolean },
  env: NodeJS.ProcessEnv,
  run: (target: ReturnType<typeof targetFromFlags>, streams: Io) => Promise<DeployResult>,
): Promise<void> {
  const streams = io(flags.json);
  await exitCodes(flags.detailedExitcode, () => run(targetFromFlags(flags, env), streams));
}

/** `failover deploy apply plan.json`: exactly the saved plan, or nothing. */
export async function runApplyCommand(
  file: string,
  flags: { env?: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const { out, log } = io(false);
  await exitCodes(false, async () => {
    const saved = readSavedPlan(file);
    if (flags.env !== undefined && flags.env !== saved.environment) {
      throw new UsageError(
        `${file} is a plan for ${saved.environment}, not ${flags.env}; nothing was changed`,
      );
    }
    // The environment is named in the reviewed file itself, so production needs no ENV_NAME.
    const target = resolveTarget({
      envFlag: saved.environment,
      ...(saved.configFile === null ? {} : { configFile: saved.configFile }),
      changes: true,
      env,
    });
    return withAwsClients(target.config, env, (clients) =>
      applySavedPlan({ saved, config: target.config, clients, out, log }),
    );
  });
}

/** The environment `deploy` and `deploy destroy` act on: --env / --config, else ENV_NAME. */
function targetFromFlags(flags: { env?: string; config?: string }, env: NodeJS.ProcessEnv) {
  return resolveTarget({
    ...(flags.env === undefined ? {} : { envFlag: flags.env }),
    ...(flags.config === undefined ? {} : { configFile: flags.config }),
    changes: true,
    env,
  });
}

/** AWS clients for `config`, destroyed once `use` settles (their sockets would keep the CLI alive). */
async function withAwsClients<T>(
  config: EnvironmentConfig,
  env: NodeJS.ProcessEnv,
  use: (clients: AwsClients) => Promise<T>,
): Promise<T> {
  const clients = createAwsClients(config, env);
  try {
    return await use(clients);
  } finally {
    clients.destroy();
  }
}

/**
 * The router's Lambda package: the one given with --artifact, else a fresh build into dist/
 * (reproducible: the same sources give the same bytes, so an unchanged router plans unchanged).
 */
async function routerPackage(
  config: EnvironmentConfig,
  artifact: string | undefined,
  log: (text: string) => void,
): Promise<string | undefined> {
  if (config.routerDeploy === undefined) return undefined;
  if (artifact !== undefined) {
    const path = resolve(artifact);
    if (!existsSync(path)) throw new UsageError(`--artifact ${artifact}: no such file`);
    return path;
  }
  const built = await buildRouterArtifacts(join(ROOT, "dist"));
  log(`Built the router: ${built.lambdaZip}\n`);
  return built.lambdaZip;
}

/**
 * --detailed-exitcode, as tofu plan has it: 0 no changes, 2 changes (planned, not applied),
 * 1 any error (a config error too, which otherwise exits 2).
 */
async function exitCodes(detailed: boolean | undefined, run: () => Promise<DeployResult>): Promise<void> {
  let result: DeployResult;
  try {
    result = await run();
  } catch (error) {
    const cli = toCliError(error);
    if (detailed && cli instanceof ConfigError) {
      throw new CliError(
        cli.problems.map((p) => `${p.file}: ${p.field || "(root)"}: ${p.reason}`).join("\n"),
        1,
      );
    }
    if (detailed && cli instanceof CliError && cli.exitCode !== 1) throw new CliError(cli.message, 1);
    throw cli;
  }
  if (detailed && !result.applied && hasChanges(result.plan)) process.exitCode = 2;
}
