import type {
  AttributeDefinition,
  CreateTableCommandInput,
  KeySchemaElement,
} from "@aws-sdk/client-dynamodb";
import type { ResourceRecordSet } from "@aws-sdk/client-route-53";

/**
 * What `failover deploy` wants (desired state, from config) and what AWS holds (actual state,
 * read by deploy/aws/), as plain data. The plan is a pure function of the two
 * (compute-plan.ts), so it is unit-tested with plain objects and no AWS at all.
 */

/** Route 53 accepts only these request intervals (docs/route53-health-checks.md; CreateHealthCheck API reference). */
export type RequestIntervalS = 10 | 30;

export interface HealthCheckSpec {
  /** The region (config `regions[].name`) whose public endpoint this check probes. */
  region: string;
  type: "HTTP" | "HTTPS";
  fqdn: string;
  port: number;
  resourcePath: string;
  requestIntervalS: RequestIntervalS;
  failureThreshold: number;
  /** Send the host name in the TLS handshake, or HTTPS checks fail against SNI-only hosts. */
  enableSni: boolean;
  /** How re-runs find this check again: see health-check-identity.ts. */
  tags: Record<string, string>;
  /** Short, stable id of (environment, service, region); prefixes the CallerReference. */
  identityHash: string;
}

export interface HealthCheckActual {
  id: string;
  callerReference: string;
  type: string;
  fqdn: string | undefined;
  port: number | undefined;
  resourcePath: string | undefined;
  requestIntervalS: number | undefined;
  failureThreshold: number | undefined;
  enableSni: boolean;
  /** Operational state owned by `failover dns failover/failback`; deploy leaves it alone. */
  inverted: boolean;
  /** Route 53 counts a disabled check as healthy; deploy always turns this back off. */
  disabled: boolean;
  tags: Record<string, string>;
  /** Route 53's optimistic-concurrency counter, passed back on UpdateHealthCheck. */
  version: number | undefined;
}

export type FailoverRole = "PRIMARY" | "SECONDARY";

export interface RecordSpec {
  /** Fully qualified, lower-case, with the trailing dot Route 53 returns. */
  name: string;
  type: "CNAME";
  /** The region name: one record per region at the same name. */
  setIdentifier: string;
  failover: FailoverRole;
  ttlS: number;
  /** The region's public host name. */
  value: string;
  /** The region whose health check this record carries. */
  healthCheckRegion: string;
}

export interface RecordActual {
  name: string;
  type: string;
  setIdentifier: string | undefined;
  failover: string | undefined;
  /** A latency record's AWS region (the router records); absent on the failover pair. */
  latencyRegion?: string;
  ttlS: number | undefined;
  values: string[];
  healthCheckId: string | undefined;
  /** An alias record has no TTL or values of its own. */
  aliasTarget: string | undefined;
  /** The record exactly as Route 53 returned it: a DELETE must repeat it field for field. */
  stored?: ResourceRecordSet;
}

export interface TableSpec {
  /** Where it is created (for a global table, the first replica's region). */
  awsRegion: string;
  definition: CreateTableCommandInput;
  /**
   * A DynamoDB global table with multi-Region strong consistency (the control table, issue 12):
   * its replica regions (awsRegion first) and witness. Absent: a single-region table.
   */
  global?: GlobalTableSpec;
}

export interface GlobalTableSpec {
  replicaRegions: string[];
  witnessRegion?: string;
}

export interface TableActual {
  awsRegion: string;
  name: string;
  status: string;
  keySchema: KeySchemaElement[];
  attributeDefinitions: AttributeDefinition[];
  /** The other replicas DescribeTable lists (a global table), with their status; absent if none. */
  replicas?: { region: string; status: string }[];
  /** The MRSC witness, if any. */
  witnesses?: { region: string; status: string }[];
  /** STRONG (MRSC) or EVENTUAL; absent on a single-region table. */
  multiRegionConsistency?: string;
}

export interface HostedZone {
  id: string;
  name: string;
}

export interface DesiredState {
  environment: string;
  /** Absent when the environment has no `dns` section: nothing in Route 53 is managed. */
  dns?: {
    hostedZoneName: string;
    healthChecks: HealthCheckSpec[];
    records: RecordSpec[];
  };
  /** Empty when the store is in memory. */
  tables: TableSpec[];
  /** The router in each region (config `routerDeploy`); absent: routers are not managed. */
  routers?: RoutersDesired;
}

export interface ActualState {
  hostedZone?: HostedZone;
  /** Every check that carries this deployment's identity (tags or CallerReference prefix). */
  healthChecks: HealthCheckActual[];
  /** Every record set at the service's name, whatever its type. */
  records: RecordActual[];
  /** Keyed by tableKey(awsRegion, name); undefined when the table does not exist. */
  tables: Map<string, TableActual | undefined>;
  /** Read only when the desired state has routers. */
  routers?: RoutersActual;
}

export type PlanAction = "create" | "update" | "replace" | "delete" | "no-op";

export type FieldValue = string | number | boolean | undefined;

export interface FieldChange {
  field: string;
  from: FieldValue;
  to: FieldValue;
  /** Route 53 or DynamoDB cannot change this field in place. */
  forcesReplacement?: boolean;
}

interface PlanItemBase {
  /** e.g. "route53_health_check.prod-us". */
  address: string;
  action: PlanAction;
  changes: FieldChange[];
  /** Things an operator should know that change nothing (e.g. an inverted check left alone). */
  notes: string[];
  /** Why this item cannot be applied; a plan with any blocker is refused as a whole. */
  blocker?: string;
}

export interface HealthCheckItem extends PlanItemBase {
  kind: "route53_health_check";
  desired?: HealthCheckSpec;
  actual?: HealthCheckActual;
}

export interface RecordItem extends PlanItemBase {
  kind: "route53_record";
  desired?: RecordSpec;
  actual?: RecordActual;
}

export interface TableItem extends PlanItemBase {
  kind: "dynamodb_table";
  desired: TableSpec;
  actual?: TableActual;
}

export interface RoleItem extends PlanItemBase {
  kind: "iam_role";
  desired?: RoleSpec;
  actual?: RoleActual;
}

export interface FunctionItem extends PlanItemBase {
  kind: "lambda_function";
  desired?: FunctionSpec;
  actual?: FunctionActual;
}

export interface FunctionUrlItem extends PlanItemBase {
  kind: "lambda_function_url";
  desired?: FunctionUrlSpec;
  actual?: FunctionUrlActual;
}

export interface LatencyRecordItem extends PlanItemBase {
  kind: "route53_latency_record";
  desired?: LatencyRecordSpec;
  actual?: RecordActual;
}

export type PlanItem =
  | HealthCheckItem
  | RecordItem
  | TableItem
  | RoleItem
  | FunctionItem
  | FunctionUrlItem
  | LatencyRecordItem;

export interface Plan {
  environment: string;
  hostedZone?: HostedZone;
  /** Facts about the whole plan an operator should read (e.g. where the control table lives). */
  notes?: string[];
  items: PlanItem[];
}

/** The value a field shows in a plan when it is only known once an earlier step has run. */
export const KNOWN_AFTER_APPLY = "(known after apply)";

export function tableKey(awsRegion: string, name: string): string {
  return `${awsRegion}/${name}`;
}

/** The router deployed to each region (issue 14 (docs/issues.md)): what config and the built zip say. */
export interface RoutersDesired {
  environment: string;
  roleName: string;
  /** Where the role's permissions come from, relative to the repository (read by the plan). */
  policyFile: string;
  trustPolicyFile: string;
  /** The Lambda deployment package and its SHA-256, base64 (Lambda's CodeSha256). */
  zipPath: string;
  codeSha256: string;
  memoryMb: number;
  timeoutS: number;
  adminTokenParameter: string;
  /**
   * The control table the routers read and compare-and-set: where it is created, and every
   * replica region (the routers call the nearest; an MRSC table answers in each).
   */
  controlTable?: { name: string; awsRegion: string; replicaRegions: string[]; witnessRegion?: string };
  regions: { region: string; awsRegion: string; functionName: string }[];
  /** Latency records, one per router, at routerDeploy.recordName. */
  recordName: string;
  ttlS: number;
  healthCheck: { requestIntervalS: RequestIntervalS; failureThreshold: number };
}

export interface AwsAccount {
  id: string;
  partition: string;
}

export interface RoleSpec {
  name: string;
  arn: string;
  /** Canonical JSON (keys sorted) of the trust and permission policies. */
  trustPolicy: string;
  policyName: string;
  policy: string;
  tags: Record<string, string>;
}

export interface RoleActual {
  name: string;
  arn: string;
  trustPolicy: string;
  /** Inline policies by name, canonical JSON. */
  policies: Record<string, string>;
  /** Managed policies attached to the role: the plan lists them as extra permissions. */
  attachedPolicyArns: string[];
}

export interface FunctionSpec {
  region: string;
  awsRegion: string;
  name: string;
  runtime: string;
  handler: string;
  architecture: "arm64" | "x86_64";
  memoryMb: number;
  timeoutS: number;
  roleArn: string;
  environment: Record<string, string>;
  codeSha256: string;
  zipPath: string;
  tags: Record<string, string>;
}

export interface FunctionActual {
  awsRegion: string;
  name: string;
  arn: string;
  runtime: string | undefined;
  handler: string | undefined;
  architecture: string | undefined;
  memoryMb: number | undefined;
  timeoutS: number | undefined;
  roleArn: string | undefined;
  environment: Record<string, string>;
  codeSha256: string | undefined;
}

export interface FunctionUrlSpec {
  region: string;
  awsRegion: string;
  functionName: string;
  /** NONE: the router is the public entry point; its admin API has its own bearer token. */
  authType: "NONE";
  /** BUFFERED: hono/aws-lambda's handler returns whole responses (no response streaming). */
  invokeMode: "BUFFERED";
  /** The resource-policy statements that let anyone call the URL (both required since Oct 2025). */
  permissionSids: string[];
}

export interface FunctionUrlActual {
  awsRegion: string;
  functionName: string;
  url: string;
  authType: string;
  invokeMode: string;
  cors: boolean;
  permissionSids: string[];
}

export interface LatencyRecordSpec {
  region: string;
  name: string;
  type: "CNAME";
  setIdentifier: string;
  awsRegion: string;
  ttlS: number;
  /** The Function URL's host, or KNOWN_AFTER_APPLY before the URL exists. */
  value: string;
  /** Key of the router's health check (its HealthCheckSpec.region), e.g. "router-prod-us". */
  healthCheckRegion: string;
}

export interface RoutersActual {
  account: AwsAccount;
  role?: RoleActual;
  /** Keyed by awsRegion/functionName. */
  functions: Map<string, FunctionActual | undefined>;
  urls: Map<string, FunctionUrlActual | undefined>;
  /** Does the admin token parameter exist, per AWS region. */
  adminTokenParameter: Map<string, boolean>;
  /** Every record at routerDeploy.recordName. */
  records: RecordActual[];
}

export function functionKey(awsRegion: string, name: string): string {
  return `${awsRegion}/${name}`;
}

/** An existing table, no changes yet: what both planners start from before comparing shapes. */
export function existingTableItem(address: string, spec: TableSpec, found: TableActual): TableItem {
  return {
    kind: "dynamodb_table",
    address,
    action: "no-op",
    changes: [],
    notes: [],
    desired: spec,
    actual: found,
  };
}
