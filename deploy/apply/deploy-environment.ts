import type { EnvironmentConfig } from "../../regions/config/schema.ts";
import type { AwsClients } from "../aws/clients.ts";
import { checkCredentials } from "../aws/credentials.ts";
import { DeployError } from "../deploy-error.ts";
import { computePlan, hasChanges, summarize } from "../plan/compute-plan.ts";
import { desiredState } from "../plan/desired-state.ts";
import type { Plan } from "../plan/plan-types.ts";
import { renderPlan } from "../plan/render-plan.ts";
import { applyPlan } from "./apply-plan.ts";
import { readActualState } from "./read-actual-state.ts";

export interface DeployOptions {
  config: EnvironmentConfig;
  clients: AwsClients;
  /** Print the plan and stop. */
  dryRun: boolean;
  /** Asked once the plan is printed and has changes; false (or a throw) means nothing is applied. */
  confirm: (plan: Plan) => Promise<boolean>;
  out: (text: string) => void;
  newId?: () => string;
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
  const desired = desiredState(config);
  await checkCredentials(clients.credentials, clients.source);
  out(
    `Credentials: ${clients.source.description}\n` +
      `Route 53: ${clients.route53Target}\nDynamoDB: ${clients.dynamodbTarget}\n\n`,
  );
  const plan = computePlan(desired, await readActualState(desired, clients));
  out(renderPlan(plan));
  const problems = summarize(plan).blockers.length;
  if (problems > 0) {
    throw new DeployError(
      `the plan has ${problems === 1 ? "a problem" : `${problems} problems`} (listed above) and cannot be applied; nothing was changed`,
    );
  }
  if (options.dryRun) {
    out("\nDry run: nothing was changed.\n");
    return { plan, applied: false };
  }
  if (!hasChanges(plan)) return { plan, applied: false };
  if (!(await options.confirm(plan))) {
    out("\nNot applied: nothing was changed.\n");
    return { plan, applied: false };
  }
  out("\n");
  await applyPlan(plan, clients, {
    log: (line) => out(`  ${line}\n`),
    ...(options.newId === undefined ? {} : { newId: options.newId }),
  });
  const after = computePlan(desired, await readActualState(desired, clients));
  const converged = !hasChanges(after);
  out(
    converged
      ? "\nApply complete. A fresh plan shows no changes.\n"
      : `\nApply finished, but a fresh plan still shows changes:\n${renderPlan(after)}`,
  );
  return { plan, applied: true, after };
}
