import type { Change } from "@aws-sdk/client-route-53";
import type { EnvironmentConfig } from "../../config/schema.ts";
import type { AwsClients } from "../aws/clients.ts";
import { checkCredentials } from "../aws/credentials.ts";
import { removeReplicas } from "../aws/dynamodb-global-table.ts";
import { deleteTable, tableHasItems } from "../aws/dynamodb-table-state.ts";
import type { LambdaWaits } from "../aws/lambda-functions.ts";
import { deleteHealthCheck } from "../aws/route53-health-checks.ts";
import { changeRecords, storedRecordSet } from "../aws/route53-records.ts";
import { computePlan } from "../plan/compute-plan.ts";
import { desiredState } from "../plan/desired-state.ts";
import { planDestroy } from "../plan/plan-destroy.ts";
import { planJson } from "../plan/plan-json.ts";
import type { Plan } from "../plan/plan-types.ts";
import { renderPlan } from "../plan/render-plan.ts";
import { deleteRouterCompute } from "../routers/apply-routers.ts";
import { confirmApply } from "./confirm-apply.ts";
import type { DeployResult } from "./deploy-environment.ts";
import { readActualState } from "./read-actual-state.ts";

export interface DestroyOptions {
  config: EnvironmentConfig;
  clients: AwsClients;
  dryRun: boolean;
  /** `--delete-data`: tables that hold items go too. */
  deleteData: boolean;
  confirm: (plan: Plan) => Promise<boolean>;
  /** The plan (text or JSON). */
  out: (text: string) => void;
  /** Everything else a person reads. */
  log: (text: string) => void;
  json?: boolean;
  waits?: LambdaWaits;
}

/** `failover deploy destroy`: plan the deletion of what deploy created, show it, confirm, delete, check. */
export async function destroyEnvironment(options: DestroyOptions): Promise<DeployResult> {
  const { config, clients, log } = options;
  await checkCredentials(clients.credentials, clients.source);
  const plan = await destroyPlan(options);
  options.out(options.json ? planJson(plan) : renderPlan(plan));
  if (!(await confirmApply(plan, options, log))) return { plan, applied: false };
  log("\n");
  await applyDestroy(plan, clients, (line) => log(`  ${line}\n`), options.waits);
  const after = await destroyPlan(options);
  const left = after.items.filter((i) => i.action === "delete");
  const kept = after.items.filter((i) => i.action === "no-op").map((i) => i.address);
  log(
    left.length > 0
      ? `\nDestroy finished, but these still exist:\n${left.map((i) => `  ${i.address}`).join("\n")}\n`
      : `\nDestroy complete: nothing deploy created for ${config.name} is left${kept.length ? ` except the kept ${kept.join(", ")}` : ""}.\n`,
  );
  return { plan, applied: true, after };
}

async function destroyPlan(options: DestroyOptions): Promise<Plan> {
  const desired = desiredState(options.config, {});
  const full = computePlan(desired, await readActualState(desired, options.clients));
  const withItems = new Set<string>();
  for (const item of full.items) {
    if (item.kind !== "dynamodb_table" || item.actual === undefined) continue;
    if (await tableHasItems(options.clients.dynamodb(item.actual.awsRegion), item.actual.name)) {
      withItems.add(item.address);
    }
  }
  return planDestroy(full, withItems, options.deleteData);
}

/**
 * In dependency order, the reverse of creation: the records (they point at the checks and the
 * URLs) in one atomic batch, the health checks, the URLs, functions and role, then the tables.
 */
export async function applyDestroy(
  plan: Plan,
  clients: AwsClients,
  log: (line: string) => void,
  waits: LambdaWaits = { sleep: (ms) => new Promise((r) => setTimeout(r, ms)), maxWaitS: 300 },
): Promise<void> {
  const deleting = plan.items.filter((i) => i.action === "delete");
  const records: Change[] = [];
  for (const item of deleting) {
    if (
      (item.kind === "route53_record" || item.kind === "route53_latency_record") &&
      item.actual !== undefined
    ) {
      records.push({ Action: "DELETE", ResourceRecordSet: storedRecordSet(item.actual) });
    }
  }
  if (records.length > 0) {
    const changeId = await changeRecords(
      clients.route53,
      plan.hostedZone!.id,
      records,
      `failover deploy destroy --env ${plan.environment}`,
    );
    log(`deleted ${records.length} record(s) in ${plan.hostedZone!.name} (change ${changeId}, in sync)`);
  }
  for (const item of deleting) {
    if (item.kind !== "route53_health_check" || item.actual === undefined) continue;
    await deleteHealthCheck(clients.route53, item.actual.id);
    log(`deleted health check ${item.actual.id} (${item.address})`);
  }
  await deleteRouterCompute(plan, clients, { log, waits });
  for (const item of deleting) {
    if (item.kind !== "dynamodb_table" || item.actual === undefined) continue;
    const client = clients.dynamodb(item.actual.awsRegion);
    // A global table's replicas and witness go first: DeleteTable refuses a table that has them.
    if (await removeReplicas(client, item.actual, waits)) {
      const others = [...(item.actual.replicas ?? []), ...(item.actual.witnesses ?? [])].map((r) => r.region);
      log(`deleted the replicas of table ${item.actual.name} in ${others.join(", ")}`);
    }
    await deleteTable(client, item.actual.name);
    log(`deleted table ${item.actual.name} in ${item.actual.awsRegion}`);
  }
}
