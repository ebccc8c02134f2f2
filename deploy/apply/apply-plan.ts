import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import type { Change } from "@aws-sdk/client-route-53";
import { ulid } from "ulid";
import { ensureTables } from "../../regions/store/dynamodb-tables.ts";
import type { AwsClients } from "../aws/clients.ts";
import { replicateAsMrsc } from "../aws/dynamodb-global-table.ts";
import type { SafeHealthCheckUpdate } from "../aws/health-check-update.ts";
import type { LambdaWaits } from "../aws/lambda-functions.ts";
import {
  createHealthCheck,
  deleteHealthCheck,
  tagHealthCheck,
  updateHealthCheck,
} from "../aws/route53-health-checks.ts";
import { changeRecords, recordSet, storedRecordSet } from "../aws/route53-records.ts";
import { DeployError } from "../deploy-error.ts";
import { summarize } from "../plan/compute-plan.ts";
import { callerReference } from "../plan/health-check-identity.ts";
import type { HealthCheckItem, Plan, RecordItem, TableItem } from "../plan/plan-types.ts";
import { applyLatencyRecords, applyRouterCompute, fillRouterHosts } from "../routers/apply-routers.ts";

export interface ApplyOptions {
  /** One line per step, as it happens. */
  log: (line: string) => void;
  /** Unique suffix for each new health check's CallerReference (tests pin it). */
  newId?: () => string;
  /** How to wait for Lambda and IAM (tests pass a sleep that returns at once). */
  waits?: LambdaWaits;
}

const DEFAULT_WAITS: LambdaWaits = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  maxWaitS: 300,
};

/**
 * Carries out a plan, in dependency order: tables; the routers' role, functions and URLs; health
 * checks (new ones first, router checks once their URL is known); the record pair in one atomic
 * change batch pointing at them; the router records likewise; then deletion of checks nothing
 * uses any more. A plan with blockers is refused before any call.
 */
export async function applyPlan(plan: Plan, clients: AwsClients, options: ApplyOptions): Promise<void> {
  const { blockers } = summarize(plan);
  if (blockers.length > 0)
    throw new DeployError(`the plan has ${blockers.length} problem(s); nothing was changed`);
  const tables = plan.items.filter((i): i is TableItem => i.kind === "dynamodb_table");
  const checks = plan.items.filter((i): i is HealthCheckItem => i.kind === "route53_health_check");
  const records = plan.items.filter((i): i is RecordItem => i.kind === "route53_record");
  await applyTables(tables, clients, options);
  await replicateGlobalTables(tables, clients, options);
  const routerOptions = { log: options.log, waits: options.waits ?? DEFAULT_WAITS };
  fillRouterHosts(plan, await applyRouterCompute(plan, clients, routerOptions));
  const { idByRegion, toDelete } = await applyHealthChecks(checks, clients, options);
  await applyRecords(plan, records, idByRegion, clients, options);
  await applyLatencyRecords(plan, idByRegion, clients, routerOptions);
  for (const id of toDelete) {
    await deleteHealthCheck(clients.route53, id);
    options.log(`deleted health check ${id}`);
  }
}

async function applyTables(items: TableItem[], clients: AwsClients, options: ApplyOptions): Promise<void> {
  const byRegion = new Map<string, CreateTableCommandInput[]>();
  for (const item of items) {
    if (item.action !== "create") continue;
    const defs = byRegion.get(item.desired.awsRegion) ?? [];
    defs.push(item.desired.definition);
    byRegion.set(item.desired.awsRegion, defs);
  }
  for (const [awsRegion, defs] of byRegion) {
    // The store's own ensureTables: creates, waits for ACTIVE, and re-checks the key schema.
    await ensureTables(clients.dynamodb(awsRegion), defs);
    for (const def of defs) options.log(`created table ${def.TableName} in ${awsRegion}`);
  }
}

/** Each new global table (the MRSC control table), once created: its replicas and witness. */
async function replicateGlobalTables(
  items: TableItem[],
  clients: AwsClients,
  options: ApplyOptions,
): Promise<void> {
  for (const item of items) {
    const { global, awsRegion, definition } = item.desired;
    if (item.action !== "create" || global === undefined) continue;
    const name = definition.TableName!;
    await replicateAsMrsc(
      clients.dynamodb(awsRegion),
      name,
      global,
      awsRegion,
      options.waits ?? DEFAULT_WAITS,
    );
    const others = global.replicaRegions.filter((r) => r !== awsRegion).join(", ");
    const witness = global.witnessRegion ? ` and witness ${global.witnessRegion}` : "";
    options.log(`replicated table ${name} to ${others}${witness} (MultiRegionConsistency STRONG)`);
  }
}

async function applyHealthChecks(
  items: HealthCheckItem[],
  clients: AwsClients,
  options: ApplyOptions,
): Promise<{ idByRegion: Map<string, string>; toDelete: string[] }> {
  const idByRegion = new Map<string, string>();
  const toDelete: string[] = [];
  const newId = options.newId ?? (() => ulid());
  for (const item of items) {
    const { desired, actual } = item;
    if (item.action === "delete") {
      toDelete.push(actual!.id);
      continue;
    }
    if (desired === undefined) continue;
    if (item.action === "create" || item.action === "replace") {
      const id = await createHealthCheck(clients.route53, desired, {
        callerReference: callerReference(desired.identityHash, newId()),
        inverted: actual?.inverted === true,
      });
      idByRegion.set(desired.region, id);
      if (actual !== undefined) toDelete.push(actual.id);
      options.log(
        `created health check ${id} for ${desired.region}${actual ? ` (replaces ${actual.id})` : ""}`,
      );
      continue;
    }
    idByRegion.set(desired.region, actual!.id);
    if (item.action === "update") {
      await updateInPlace(item, clients);
      options.log(
        `updated health check ${actual!.id} for ${desired.region}: ${item.changes.map((c) => c.field).join(", ")}`,
      );
    }
  }
  return { idByRegion, toDelete };
}

async function updateInPlace(item: HealthCheckItem, clients: AwsClients): Promise<void> {
  const { desired, actual } = item as Required<Pick<HealthCheckItem, "desired" | "actual">>;
  const fields = new Set(item.changes.map((c) => c.field));
  const update: SafeHealthCheckUpdate = {};
  if (fields.has("fqdn")) update.fqdn = desired.fqdn;
  if (fields.has("port")) update.port = desired.port;
  if (fields.has("resource_path")) update.resourcePath = desired.resourcePath;
  if (fields.has("failure_threshold")) update.failureThreshold = desired.failureThreshold;
  if (fields.has("enable_sni")) update.enableSni = desired.enableSni;
  if (fields.has("disabled")) update.disabled = false;
  if (Object.keys(update).length > 0)
    await updateHealthCheck(clients.route53, actual.id, actual.version, update);
  if ([...fields].some((f) => f.startsWith("tags.")))
    await tagHealthCheck(clients.route53, actual.id, desired.tags);
}

async function applyRecords(
  plan: Plan,
  items: RecordItem[],
  idByRegion: Map<string, string>,
  clients: AwsClients,
  options: ApplyOptions,
): Promise<void> {
  const changes: Change[] = [];
  for (const item of items) {
    if (item.action === "delete")
      changes.push({ Action: "DELETE", ResourceRecordSet: storedRecordSet(item.actual!) });
    if (item.action !== "create" && item.action !== "update") continue;
    const spec = item.desired!;
    const healthCheckId = idByRegion.get(spec.healthCheckRegion);
    if (healthCheckId === undefined) throw new Error(`no health check id for ${spec.healthCheckRegion}`);
    // UPSERT: creates the record, or replaces the one with the same name, type and SetIdentifier.
    changes.push({ Action: "UPSERT", ResourceRecordSet: recordSet(spec, healthCheckId) });
  }
  // Re-point records whose check was replaced even if nothing else about them changed.
  for (const item of items) {
    if (item.action !== "no-op" || item.desired === undefined) continue;
    const id = idByRegion.get(item.desired.healthCheckRegion);
    if (id !== undefined && id !== item.actual?.healthCheckId) {
      changes.push({ Action: "UPSERT", ResourceRecordSet: recordSet(item.desired, id) });
    }
  }
  if (changes.length === 0) return;
  const changeId = await changeRecords(
    clients.route53,
    plan.hostedZone!.id,
    changes,
    `failover deploy --env ${plan.environment}`,
  );
  options.log(
    `changed ${changes.length} record(s) in ${plan.hostedZone!.name} (change ${changeId}, in sync)`,
  );
}
