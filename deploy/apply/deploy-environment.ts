import { writeFileSync } from "node:fs";
import type { EnvironmentConfig } from "../../config/schema.ts";
import type { AwsClients } from "../aws/clients.ts";
import { checkCredentials } from "../aws/credentials.ts";
import type { LambdaWaits } from "../aws/lambda-functions.ts";
import { DeployError } from "../deploy-error.ts";
import { computePlan, hasChanges, summarize } from "../plan/compute-plan.ts";
import { desiredState } from "../plan/desired-state.ts";
import { planJson } from "../plan/plan-json.ts";
import type { DesiredState, Plan } from "../plan/plan-types.ts";
import { renderPlan } from "../plan/render-plan.ts";
import { applyPlan } from "./apply-plan.ts";
import { confirmApply } from "./confirm-apply.ts";
import { readActualState } from "./read-actual-state.ts";
import { savedPlanFile } from "./saved-plan.ts";

export interface DeployOptions {
  config: EnvironmentConfig;
  clients: AwsClients;
  /** Print the plan and stop. */
  dryRun: boolean;
  /** Asked once the plan is printed and has changes; false (or a throw) means nothing is applied. */
  confirm: (plan: Plan) => Promise<boolean>;
  /** The plan itself (text, or JSON with `json`). */
  out: (text: string) => void;
  /** Everything else a person reads (credentials, progress); defaults to `out`. */
  log?: (text: string) => void;
  newId?: () => string;
  /** The router's Lambda package; needed when the config has `routerDeploy`. */
  routerZip?: string;
  /** Print the plan as JSON for machines instead of text. */
  json?: boolean;
  /** Save the plan to this file and stop: `failover deploy apply <file>` applies exactly it. */
  savePlanTo?: string;
  /** Where the config came from, when not the checked-in file (saved with the plan). */
  configFile?: string;
  waits?: LambdaWaits;
}

export interface DeployResult {
  plan: Plan;
  applied: boolean;
  /** The plan computed again after applying: all no-op when the deploy converged. */
  after?: Plan;
}

/**
 * `failover deploy`: every check that can fail on bad input (config, credentials, hosted zone,
 * blockers) runs before the first change; then plan, show, confirm, apply, and plan again to
 * prove that a second deploy would change nothing.
 */
export async function deployEnvironment(options: DeployOptions): Promise<DeployResult> {
  const { config, clients, out } = options;
  const log = options.log ?? out;
  const desired = desiredFor(config, options.routerZip);
  await checkCredentials(clients.credentials, clients.source);
  log(
    `Credentials: ${clients.source.description}\n` +
      `Route 53: ${clients.route53Target}\nDynamoDB: ${clients.dynamodbTarget}\n` +
      (desired.routers === undefined
        ? ""
        : `Router package: ${desired.routers.zipPath} (CodeSha256 ${desired.routers.codeSha256})\n`) +
      "\n",
  );
  const plan = computePlan(desired, await readActualState(desired, clients));
  out(options.json ? planJson(plan) : renderPlan(plan));
  const problems = summarize(plan).blockers.length;
  if (problems > 0) {
    throw new DeployError(
      `the plan has ${problems === 1 ? "a problem" : `${problems} problems`} (listed above) and cannot be applied; nothing was changed`,
    );
  }
  if (options.savePlanTo !== undefined) {
    writeFileSync(options.savePlanTo, savedPlanFile(plan, desired, options.configFile));
    log(
      `\nSaved the plan to ${options.savePlanTo}; apply exactly it with: failover deploy apply ${options.savePlanTo}\n`,
    );
    return { plan, applied: false };
  }
  if (!(await confirmApply(plan, options, log))) return { plan, applied: false };
  return { plan, applied: true, after: await applyAndCheck(plan, desired, options, log) };
}

export function desiredFor(config: EnvironmentConfig, routerZip: string | undefined): DesiredState {
  if (config.routerDeploy !== undefined && routerZip === undefined) {
    throw new DeployError(
      "routerDeploy is set but no router package was given (build one with npm run build)",
    );
  }
  return desiredState(config, routerZip === undefined ? undefined : { zipPath: routerZip });
}

/** Applies, then plans again: a converged deploy's second plan is all no-ops. */
export async function applyAndCheck(
  plan: Plan,
  desired: DesiredState,
  options: Pick<DeployOptions, "clients" | "newId" | "waits">,
  log: (text: string) => void,
): Promise<Plan> {
  log("\n");
  await applyPlan(plan, options.clients, {
    log: (line) => log(`  ${line}\n`),
    ...(options.newId === undefined ? {} : { newId: options.newId }),
    ...(options.waits === undefined ? {} : { waits: options.waits }),
  });
  const after = computePlan(desired, await readActualState(desired, options.clients));
  log(
    !hasChanges(after)
      ? "\nApply complete. A fresh plan shows no changes.\n"
      : `\nApply finished, but a fresh plan still shows changes:\n${renderPlan(after)}`,
  );
  return after;
}
