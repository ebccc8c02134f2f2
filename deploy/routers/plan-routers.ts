import { bareName, fqdn } from "../plan/dns-name.ts";
import { identityHash, identityTags } from "../plan/health-check-identity.ts";
import { planHealthChecks } from "../plan/plan-health-checks.ts";
import {
  type FieldChange,
  type FieldValue,
  type FunctionActual,
  type FunctionItem,
  type FunctionSpec,
  type FunctionUrlActual,
  type FunctionUrlItem,
  type FunctionUrlSpec,
  functionKey,
  type HealthCheckActual,
  type HealthCheckItem,
  type HealthCheckSpec,
  KNOWN_AFTER_APPLY,
  type LatencyRecordItem,
  type LatencyRecordSpec,
  type PlanAction,
  type PlanItem,
  type RoleActual,
  type RoleItem,
  type RoleSpec,
  type RoutersActual,
  type RoutersDesired,
} from "../plan/plan-types.ts";
import { recordFields } from "../plan/record-fields.ts";
import { renderRouterPolicies, statementLines } from "./router-policy.ts";

/** The Lambda runtime: Node.js 24, the maintained LTS (issue 14 (docs/issues.md)). */
export const ROUTER_RUNTIME = "nodejs24.x";
export const ROUTER_HANDLER = "index.handler";
/** Graviton: the bundle is plain JavaScript, and arm64 GB-seconds cost 20% less (Lambda pricing). */
export const ROUTER_ARCHITECTURE = "arm64";
export const ROUTER_POLICY_NAME = "failover-router";
export const ROUTER_HEALTH_PATH = "/healthz";
/** AddPermission statement ids: since October 2025 a public URL needs both (Lambda "Control access to function URLs"). */
export const PUBLIC_URL_PERMISSION_SIDS = [
  "FunctionURLAllowPublicAccess",
  "FunctionURLInvokeAllowPublicAccess",
];

export function routerCheckKey(region: string): string {
  return `router-${region}`;
}

/**
 * The routers' part of the plan, in the order it is applied: the role, each region's function,
 * its URL, each router's health check on the URL's /healthz, then the latency records at
 * routerDeploy.recordName. Pure: config, package hash and what AWS holds in, items out.
 */
export function planRouters(
  desired: RoutersDesired,
  actual: RoutersActual,
  healthChecks: HealthCheckActual[],
): PlanItem[] {
  const role = roleSpec(desired, actual);
  const items: PlanItem[] = [planRole(role, actual.role)];
  const urlHosts = new Map<string, string>();
  for (const r of desired.regions) {
    const key = functionKey(r.awsRegion, r.functionName);
    items.push(planFunction(functionSpec(desired, r, role.arn), actual.functions.get(key), actual));
    const url = actual.urls.get(key);
    items.push(planUrl(urlSpec(r), url));
    if (url !== undefined) urlHosts.set(r.region, new URL(url.url).hostname);
  }
  const checks = planHealthChecks(
    desired.regions.map((r) => checkSpec(desired, r.region, urlHosts.get(r.region))),
    healthChecks,
    actual.records,
  );
  items.push(...checks);
  items.push(...planLatencyRecords(desired, actual, checks, urlHosts));
  return items;
}

function roleSpec(desired: RoutersDesired, actual: RoutersActual): RoleSpec {
  const { trustPolicy, policy } = renderRouterPolicies(desired, actual.account);
  return {
    name: desired.roleName,
    arn: `arn:${actual.account.partition}:iam::${actual.account.id}:role/${desired.roleName}`,
    trustPolicy,
    policyName: ROUTER_POLICY_NAME,
    policy,
    tags: { "failover:environment": desired.environment, "failover:part": "router" },
  };
}

function roleFields(trustPolicy: string, policy: string | undefined): Record<string, FieldValue> {
  const fields: Record<string, FieldValue> = {};
  for (const [sid, line] of Object.entries(statementLines(trustPolicy))) fields[`trust.${sid}`] = line;
  for (const [sid, line] of Object.entries(statementLines(policy ?? ""))) fields[`policy.${sid}`] = line;
  return fields;
}

function planRole(spec: RoleSpec, actual: RoleActual | undefined): RoleItem {
  const address = `iam_role.${spec.name}`;
  const wanted = roleFields(spec.trustPolicy, spec.policy);
  const notes = [`permissions from deploy/iam/router-policy.json (inline policy ${spec.policyName})`];
  if (actual === undefined) {
    return { kind: "iam_role", address, action: "create", changes: created(wanted), notes, desired: spec };
  }
  const changes = diff(wanted, roleFields(actual.trustPolicy, actual.policies[spec.policyName]));
  const extra = [
    ...Object.keys(actual.policies).filter((n) => n !== spec.policyName),
    ...actual.attachedPolicyArns,
  ];
  if (extra.length > 0) {
    notes.push(`the role also has ${extra.join(", ")}, not from this repository: more than least privilege`);
  }
  return { kind: "iam_role", address, action: action(changes), changes, notes, desired: spec, actual };
}

function functionSpec(
  desired: RoutersDesired,
  r: RoutersDesired["regions"][number],
  roleArn: string,
): FunctionSpec {
  return {
    region: r.region,
    awsRegion: r.awsRegion,
    name: r.functionName,
    runtime: ROUTER_RUNTIME,
    handler: ROUTER_HANDLER,
    architecture: ROUTER_ARCHITECTURE,
    memoryMb: desired.memoryMb,
    timeoutS: desired.timeoutS,
    roleArn,
    environment: {
      ENV_NAME: desired.environment,
      FAILOVER_ROUTER_ID: `lambda-${r.region}`,
      // The parameter's name only: the router reads the token at start (router/admin/admin-token.ts).
      FAILOVER_ADMIN_TOKEN_PARAMETER: desired.adminTokenParameter,
      NODE_OPTIONS: "--enable-source-maps",
    },
    codeSha256: desired.codeSha256,
    zipPath: desired.zipPath,
    tags: { "failover:environment": desired.environment, "failover:region": r.region },
  };
}

/** The fields a plan compares, of the desired function (a FunctionSpec) or the one AWS has. */
function functionFields(
  f: Pick<
    FunctionActual,
    | "runtime"
    | "handler"
    | "architecture"
    | "memoryMb"
    | "timeoutS"
    | "roleArn"
    | "codeSha256"
    | "environment"
  >,
): Record<string, FieldValue> {
  const fields: Record<string, FieldValue> = {
    runtime: f.runtime,
    handler: f.handler,
    architecture: f.architecture,
    memory_mb: f.memoryMb,
    timeout_s: f.timeoutS,
    role: f.roleArn,
    code_sha256: f.codeSha256,
  };
  for (const key of Object.keys(f.environment).sort()) fields[`env.${key}`] = f.environment[key];
  return fields;
}

function planFunction(
  spec: FunctionSpec,
  actual: FunctionActual | undefined,
  routers: RoutersActual,
): FunctionItem {
  const address = `lambda_function.${spec.awsRegion}/${spec.name}`;
  const wanted = functionFields(spec);
  const item: FunctionItem =
    actual === undefined
      ? {
          kind: "lambda_function",
          address,
          action: "create",
          changes: created(wanted),
          notes: [],
          desired: spec,
        }
      : (() => {
          const had = functionFields(actual);
          // Variables set by hand are shown, and removed: the plan owns the whole environment.
          for (const key of Object.keys(actual.environment)) wanted[`env.${key}`] ??= undefined;
          const changes = diff(wanted, had);
          return {
            kind: "lambda_function",
            address,
            action: action(changes),
            changes,
            notes: [],
            desired: spec,
            actual,
          };
        })();
  if (routers.adminTokenParameter.get(spec.awsRegion) !== true) {
    item.blocker =
      `the admin token parameter ${spec.environment.FAILOVER_ADMIN_TOKEN_PARAMETER} does not exist in ${spec.awsRegion}; ` +
      `create it first: aws ssm put-parameter --region ${spec.awsRegion} --type SecureString ` +
      `--name ${spec.environment.FAILOVER_ADMIN_TOKEN_PARAMETER} --value "$(openssl rand -hex 32)"`;
  }
  if (item.changes.some((c) => c.field === "code_sha256") && item.action === "update") {
    item.notes.push(`new code from ${spec.zipPath}`);
  }
  return item;
}

function urlSpec(r: RoutersDesired["regions"][number]): FunctionUrlSpec {
  return {
    region: r.region,
    awsRegion: r.awsRegion,
    functionName: r.functionName,
    authType: "NONE",
    invokeMode: "BUFFERED",
    permissionSids: PUBLIC_URL_PERMISSION_SIDS,
  };
}

function urlFields(u: {
  authType: string;
  invokeMode: string;
  cors: boolean;
  permissionSids: string[];
}): Record<string, FieldValue> {
  return {
    auth_type: u.authType,
    invoke_mode: u.invokeMode,
    cors: u.cors ? "on" : "off",
    public_access:
      PUBLIC_URL_PERMISSION_SIDS.filter((s) => u.permissionSids.includes(s)).join(", ") || undefined,
  };
}

function planUrl(spec: FunctionUrlSpec, actual: FunctionUrlActual | undefined): FunctionUrlItem {
  const address = `lambda_function_url.${spec.awsRegion}/${spec.functionName}`;
  const wanted = urlFields({ ...spec, cors: false });
  const notes = [
    "auth NONE: anyone may call it, as any public entry point; the router's admin API checks its own bearer token",
  ];
  if (actual === undefined) {
    const changes = [...created(wanted), { field: "url", from: undefined, to: KNOWN_AFTER_APPLY }];
    return { kind: "lambda_function_url", address, action: "create", changes, notes, desired: spec };
  }
  const changes = diff(wanted, urlFields(actual));
  notes.push(`url ${actual.url}`);
  return {
    kind: "lambda_function_url",
    address,
    action: action(changes),
    changes,
    notes,
    desired: spec,
    actual,
  };
}

function checkSpec(desired: RoutersDesired, region: string, host: string | undefined): HealthCheckSpec {
  const identity = {
    environment: desired.environment,
    service: bareName(desired.recordName),
    region: routerCheckKey(region),
  };
  return {
    region: routerCheckKey(region),
    type: "HTTPS",
    fqdn: host ?? KNOWN_AFTER_APPLY,
    port: 443,
    resourcePath: ROUTER_HEALTH_PATH,
    requestIntervalS: desired.healthCheck.requestIntervalS,
    failureThreshold: desired.healthCheck.failureThreshold,
    enableSni: true,
    tags: identityTags(identity),
    identityHash: identityHash(identity),
  };
}

function planLatencyRecords(
  desired: RoutersDesired,
  actual: RoutersActual,
  checks: HealthCheckItem[],
  urlHosts: Map<string, string>,
): LatencyRecordItem[] {
  const items: LatencyRecordItem[] = [];
  const wanted = new Set<string>();
  for (const r of desired.regions) {
    const spec: LatencyRecordSpec = {
      region: r.region,
      name: desired.recordName,
      type: "CNAME",
      setIdentifier: routerCheckKey(r.region),
      awsRegion: r.awsRegion,
      ttlS: desired.ttlS,
      value: urlHosts.get(r.region) ?? KNOWN_AFTER_APPLY,
      healthCheckRegion: routerCheckKey(r.region),
    };
    wanted.add(spec.setIdentifier);
    const address = `route53_latency_record.${bareName(spec.name)}/${spec.setIdentifier}`;
    const fields = latencyFields(spec, checkIdFor(spec.healthCheckRegion, checks));
    const found = actual.records.find((a) => a.type === "CNAME" && a.setIdentifier === spec.setIdentifier);
    if (found === undefined) {
      items.push({
        kind: "route53_latency_record",
        address,
        action: "create",
        changes: created(fields),
        notes: [],
        desired: spec,
      });
      continue;
    }
    const changes = diff(
      fields,
      recordFields(
        { type: found.type, ttlS: found.ttlS, value: found.values.join(",") },
        { region: found.latencyRegion },
        found.healthCheckId,
      ),
    );
    items.push({
      kind: "route53_latency_record",
      address,
      action: action(changes),
      changes,
      notes: [],
      desired: spec,
      actual: found,
    });
  }
  for (const record of actual.records) {
    if (record.type === "CNAME" && record.setIdentifier !== undefined && wanted.has(record.setIdentifier))
      continue;
    const address = `route53_latency_record.${bareName(record.name)}/${record.setIdentifier ?? record.type}`;
    const ours = record.type === "CNAME" && record.setIdentifier?.startsWith("router-") === true;
    items.push({
      kind: "route53_latency_record",
      address,
      action: ours ? "delete" : "no-op",
      changes: [],
      notes: ours ? ["a router record for a region no longer in config"] : [],
      actual: record,
      ...(ours
        ? {}
        : {
            blocker: `${fqdn(record.name)} already has a ${record.type} record not made by failover deploy; pick another routerDeploy.recordName`,
          }),
    });
  }
  return items;
}

function latencyFields(spec: LatencyRecordSpec, healthCheckId: string): Record<string, FieldValue> {
  return recordFields(spec, { region: spec.awsRegion }, healthCheckId);
}

function checkIdFor(key: string, checks: HealthCheckItem[]): string {
  const item = checks.find((c) => c.desired?.region === key && c.action !== "delete");
  if (item?.actual === undefined || item.action === "create" || item.action === "replace")
    return KNOWN_AFTER_APPLY;
  return item.actual.id;
}

function created(fields: Record<string, FieldValue>): FieldChange[] {
  return Object.entries(fields)
    .filter(([, to]) => to !== undefined)
    .map(([field, to]) => ({ field, from: undefined, to }));
}

/** Fields whose value differs; a KNOWN_AFTER_APPLY value is a change when anything is there. */
function diff(wanted: Record<string, FieldValue>, had: Record<string, FieldValue>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [field, to] of Object.entries(wanted)) {
    const from = had[field];
    if (from !== to) changes.push({ field, from, to });
  }
  for (const [field, from] of Object.entries(had)) {
    if (!(field in wanted) && from !== undefined) changes.push({ field, from, to: undefined });
  }
  return changes;
}

function action(changes: FieldChange[]): PlanAction {
  return changes.length > 0 ? "update" : "no-op";
}
