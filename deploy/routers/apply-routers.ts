import type { Change } from "@aws-sdk/client-route-53";
import type { AwsClients } from "../aws/clients.ts";
import { createRole, deleteRole, updateRole } from "../aws/iam-role.ts";
import {
  createFunction,
  createFunctionUrl,
  deleteFunction,
  deleteFunctionUrl,
  type LambdaWaits,
  updateFunction,
  updateFunctionUrl,
} from "../aws/lambda-functions.ts";
import { changeRecords, storedRecordSet } from "../aws/route53-records.ts";
import type { FunctionItem, FunctionUrlItem, Plan, RoleItem } from "../plan/plan-types.ts";
import { KNOWN_AFTER_APPLY } from "../plan/plan-types.ts";

export interface RouterApplyOptions {
  log: (line: string) => void;
  waits: LambdaWaits;
}

/**
 * The role, then each function, then its URL (a URL needs its function, a function its role).
 * Returns each router's URL host by region, to fill in the health checks and latency records
 * that the plan showed as "(known after apply)".
 */
export async function applyRouterCompute(
  plan: Plan,
  clients: AwsClients,
  options: RouterApplyOptions,
): Promise<Map<string, string>> {
  const hosts = new Map<string, string>();
  for (const item of plan.items) {
    if (item.kind === "iam_role") await applyRole(item, clients, options);
  }
  for (const item of plan.items) {
    if (item.kind === "lambda_function") await applyFunction(item, clients, options);
  }
  for (const item of plan.items) {
    if (item.kind !== "lambda_function_url" || item.desired === undefined) continue;
    const url = await applyUrl(item, clients, options);
    hosts.set(item.desired.region, new URL(url).hostname);
  }
  return hosts;
}

async function applyRole(item: RoleItem, clients: AwsClients, options: RouterApplyOptions): Promise<void> {
  if (item.action === "create") {
    await createRole(clients.iam, item.desired!);
    options.log(`created role ${item.desired!.name}`);
  } else if (item.action === "update") {
    await updateRole(clients.iam, item.desired!, item.actual!);
    options.log(`updated role ${item.desired!.name}: ${item.changes.map((c) => c.field).join(", ")}`);
  }
}

async function applyFunction(
  item: FunctionItem,
  clients: AwsClients,
  options: RouterApplyOptions,
): Promise<void> {
  const spec = item.desired;
  if (spec === undefined) return;
  const lambda = clients.lambda(spec.awsRegion);
  if (item.action === "create") {
    await createFunction(lambda, spec, options.waits);
    options.log(`created function ${spec.name} in ${spec.awsRegion} (code ${spec.codeSha256})`);
  } else if (item.action === "update") {
    const done = await updateFunction(lambda, spec, item.actual!, options.waits);
    options.log(`updated function ${spec.name} in ${spec.awsRegion}: ${done.join(" and ")}`);
  }
}

async function applyUrl(
  item: FunctionUrlItem,
  clients: AwsClients,
  options: RouterApplyOptions,
): Promise<string> {
  const spec = item.desired!;
  const lambda = clients.lambda(spec.awsRegion);
  if (item.action === "create") {
    const url = await createFunctionUrl(lambda, spec);
    options.log(`created function URL ${url} for ${spec.functionName}`);
    return url;
  }
  if (item.action === "update") {
    await updateFunctionUrl(lambda, spec, item.actual!);
    options.log(
      `updated function URL of ${spec.functionName}: ${item.changes.map((c) => c.field).join(", ")}`,
    );
  }
  return item.actual!.url;
}

/** The URL hosts are only known now: put them into the router checks' desired state. */
export function fillRouterHosts(plan: Plan, hosts: Map<string, string>): void {
  for (const item of plan.items) {
    if (item.kind === "route53_health_check" && item.desired?.fqdn === KNOWN_AFTER_APPLY) {
      const host = hosts.get(item.desired.region.replace(/^router-/, ""));
      if (host !== undefined) item.desired.fqdn = host;
    }
    if (item.kind === "route53_latency_record" && item.desired?.value === KNOWN_AFTER_APPLY) {
      const host = hosts.get(item.desired.region);
      if (host !== undefined) item.desired.value = host;
    }
  }
}

/** All router records in one atomic batch: UPSERT the wanted ones, DELETE the ones no longer wanted. */
export async function applyLatencyRecords(
  plan: Plan,
  idByRegion: Map<string, string>,
  clients: AwsClients,
  options: RouterApplyOptions,
): Promise<void> {
  const changes: Change[] = [];
  for (const item of plan.items) {
    if (item.kind !== "route53_latency_record") continue;
    if (item.action === "delete") {
      changes.push({ Action: "DELETE", ResourceRecordSet: storedRecordSet(item.actual!) });
      continue;
    }
    const spec = item.desired;
    if (spec === undefined) continue;
    const checkId = idByRegion.get(spec.healthCheckRegion);
    if (item.action === "no-op" && checkId === item.actual?.healthCheckId) continue;
    if (checkId === undefined) throw new Error(`no health check id for ${spec.healthCheckRegion}`);
    changes.push({
      Action: "UPSERT",
      ResourceRecordSet: {
        Name: spec.name,
        Type: spec.type,
        SetIdentifier: spec.setIdentifier,
        Region: spec.awsRegion as "us-east-1",
        TTL: spec.ttlS,
        ResourceRecords: [{ Value: spec.value }],
        HealthCheckId: checkId,
      },
    });
  }
  if (changes.length === 0) return;
  const changeId = await changeRecords(
    clients.route53,
    plan.hostedZone!.id,
    changes,
    `failover deploy --env ${plan.environment}: routers`,
  );
  options.log(
    `changed ${changes.length} router record(s) in ${plan.hostedZone!.name} (change ${changeId}, in sync)`,
  );
}

/** Destroy: URLs, then functions, then the role (the reverse of creation). */
export async function deleteRouterCompute(
  plan: Plan,
  clients: AwsClients,
  options: RouterApplyOptions,
): Promise<void> {
  for (const item of plan.items) {
    if (item.kind !== "lambda_function_url" || item.action !== "delete") continue;
    await deleteFunctionUrl(clients.lambda(item.actual!.awsRegion), item.actual!.functionName);
    options.log(`deleted function URL of ${item.actual!.functionName}`);
  }
  for (const item of plan.items) {
    if (item.kind !== "lambda_function" || item.action !== "delete") continue;
    await deleteFunction(clients.lambda(item.actual!.awsRegion), item.actual!.name);
    options.log(`deleted function ${item.actual!.name} in ${item.actual!.awsRegion}`);
  }
  for (const item of plan.items) {
    if (item.kind !== "iam_role" || item.action !== "delete") continue;
    await deleteRole(clients.iam, item.actual!);
    options.log(`deleted role ${item.actual!.name}`);
  }
}
