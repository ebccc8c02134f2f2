import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import type { EnvironmentConfig } from "../../config/schema.ts";
import type { AwsClients } from "../aws/clients.ts";
import { checkCredentials } from "../aws/credentials.ts";
import type { LambdaWaits } from "../aws/lambda-functions.ts";
import { DeployError } from "../deploy-error.ts";
import { computePlan, hasChanges } from "../plan/compute-plan.ts";
import type { DesiredState, Plan } from "../plan/plan-types.ts";
import { renderPlan } from "../plan/render-plan.ts";
import { codeSha256 } from "../routers/desired-routers.ts";
import { applyAndCheck, type DeployResult, desiredFor } from "./deploy-environment.ts";
import { readActualState } from "./read-actual-state.ts";

const FORMAT = "failover-saved-plan/1";

/**
 * A saved plan (`failover deploy --out plan.json`): the plan with every AWS state it was computed
 * from, the environment, and the router package it deploys. `failover deploy apply` re-reads AWS
 * and recomputes; if anything differs (AWS, the config, the package) it refuses, so what runs is
 * exactly what was reviewed, as `tofu apply plan.tfplan` does.
 */
export interface SavedPlan {
  format: typeof FORMAT;
  environment: string;
  configFile: string | null;
  routerZip: string | null;
  codeSha256: string | null;
  plan: Plan;
}

export function savedPlanFile(plan: Plan, desired: DesiredState, configFile: string | undefined): string {
  const saved: SavedPlan = {
    format: FORMAT,
    environment: plan.environment,
    configFile: configFile ?? null,
    routerZip: desired.routers?.zipPath ?? null,
    codeSha256: desired.routers?.codeSha256 ?? null,
    plan,
  };
  return `${JSON.stringify(saved, null, 2)}\n`;
}

export function readSavedPlan(file: string): SavedPlan {
  let saved: SavedPlan;
  try {
    saved = JSON.parse(readFileSync(file, "utf8")) as SavedPlan;
  } catch (error) {
    throw new DeployError(`${file}: not a saved plan: ${(error as Error).message}`, "usage");
  }
  if (saved?.format !== FORMAT) {
    throw new DeployError(
      `${file}: not a saved plan (format is not ${FORMAT}); make one with failover deploy --out ${file}`,
      "usage",
    );
  }
  return saved;
}

export interface ApplySavedOptions {
  saved: SavedPlan;
  config: EnvironmentConfig;
  clients: AwsClients;
  out: (text: string) => void;
  log: (text: string) => void;
  waits?: LambdaWaits;
  newId?: () => string;
}

export async function applySavedPlan(options: ApplySavedOptions): Promise<DeployResult> {
  const { saved, clients, log } = options;
  if (saved.routerZip !== null) {
    let now: string;
    try {
      now = codeSha256(readFileSync(saved.routerZip));
    } catch {
      throw new DeployError(
        `the plan deploys ${saved.routerZip}, which is gone; make a new plan. Nothing was changed.`,
      );
    }
    if (now !== saved.codeSha256) {
      throw new DeployError(
        `${saved.routerZip} changed since the plan was saved (CodeSha256 ${saved.codeSha256} -> ${now}); make a new plan. Nothing was changed.`,
      );
    }
  }
  const desired = desiredFor(options.config, saved.routerZip ?? undefined);
  await checkCredentials(clients.credentials, clients.source);
  const fresh = computePlan(desired, await readActualState(desired, clients));
  const differ = differences(JSON.parse(JSON.stringify(fresh)) as Plan, saved.plan);
  if (differ.length > 0) {
    throw new DeployError(
      `AWS or the config changed since the plan was saved; refusing to apply it. Differences: ${differ.join(", ")}.\n` +
        "  Make a new plan (failover deploy --out) and review it. Nothing was changed.",
    );
  }
  options.out(renderPlan(fresh));
  if (!hasChanges(fresh)) {
    log("\nThe saved plan has no changes: nothing to apply.\n");
    return { plan: fresh, applied: false };
  }
  return { plan: fresh, applied: true, after: await applyAndCheck(fresh, desired, options, log) };
}

/** Addresses whose item (action, changes, or the AWS state it was computed from) differs. */
function differences(fresh: Plan, saved: Plan): string[] {
  const byAddress = new Map(saved.items.map((i) => [i.address, i]));
  const differ: string[] = [];
  for (const item of fresh.items) {
    const before = byAddress.get(item.address);
    if (before === undefined || !isDeepStrictEqual(before, item)) differ.push(item.address);
    byAddress.delete(item.address);
  }
  differ.push(...byAddress.keys());
  if (!isDeepStrictEqual(fresh.hostedZone, saved.hostedZone)) differ.push("hosted zone");
  return differ;
}
