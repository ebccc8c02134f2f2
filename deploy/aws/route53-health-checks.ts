import {
  ChangeTagsForResourceCommand,
  CreateHealthCheckCommand,
  DeleteHealthCheckCommand,
  GetHealthCheckCommand,
  GetHealthCheckStatusCommand,
  type HealthCheck,
  type HealthCheckObservation,
  ListHealthChecksCommand,
  ListTagsForResourcesCommand,
  type Route53Client,
} from "@aws-sdk/client-route-53";
import type { HealthCheckActual, HealthCheckSpec } from "../plan/plan-types.ts";
import { type SafeHealthCheckUpdate, updateHealthCheckInput } from "./health-check-update.ts";

/** Only checks whose CallerReference has this prefix can be ours; the rest are not looked at. */
const OUR_CALLER_REFERENCE_PREFIX = "failover-";
/** ListTagsForResources takes at most 10 ids per call (Route 53 API reference). */
const TAGS_BATCH = 10;

/** Every health check this tool created in the account, with its tags. */
export async function readOurHealthChecks(route53: Route53Client): Promise<HealthCheckActual[]> {
  const checks: HealthCheck[] = [];
  let marker: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const out = await route53.send(
      new ListHealthChecksCommand({ ...(marker ? { Marker: marker } : {}), MaxItems: 1000 }),
    );
    for (const check of out.HealthChecks ?? []) {
      if (check.CallerReference?.startsWith(OUR_CALLER_REFERENCE_PREFIX)) checks.push(check);
    }
    if (!out.IsTruncated || !out.NextMarker) break;
    marker = out.NextMarker;
  }
  const tags = await readTags(
    route53,
    checks.map((c) => c.Id!),
  );
  return checks.map((check) => toActual(check, tags.get(check.Id!) ?? {}));
}

export async function readHealthCheck(route53: Route53Client, id: string): Promise<HealthCheckActual> {
  const out = await route53.send(new GetHealthCheckCommand({ HealthCheckId: id }));
  const tags = await readTags(route53, [id]);
  return toActual(out.HealthCheck!, tags.get(id) ?? {});
}

async function readTags(route53: Route53Client, ids: string[]): Promise<Map<string, Record<string, string>>> {
  const byId = new Map<string, Record<string, string>>();
  for (let i = 0; i < ids.length; i += TAGS_BATCH) {
    const out = await route53.send(
      new ListTagsForResourcesCommand({
        ResourceType: "healthcheck",
        ResourceIds: ids.slice(i, i + TAGS_BATCH),
      }),
    );
    for (const set of out.ResourceTagSets ?? []) {
      const tags: Record<string, string> = {};
      for (const tag of set.Tags ?? []) if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? "";
      byId.set(set.ResourceId!, tags);
    }
  }
  return byId;
}

function toActual(check: HealthCheck, tags: Record<string, string>): HealthCheckActual {
  const config = check.HealthCheckConfig;
  return {
    id: check.Id!,
    callerReference: check.CallerReference ?? "",
    type: config?.Type ?? "",
    fqdn: config?.FullyQualifiedDomainName,
    port: config?.Port,
    resourcePath: config?.ResourcePath,
    requestIntervalS: config?.RequestInterval,
    failureThreshold: config?.FailureThreshold,
    enableSni: config?.EnableSNI === true,
    inverted: config?.Inverted === true,
    disabled: config?.Disabled === true,
    tags,
    version: check.HealthCheckVersion,
  };
}

/**
 * Creates the check, then tags it. `inverted` carries an operator's failover across a
 * replacement; Disabled is never sent, so a new check is always enabled.
 */
export async function createHealthCheck(
  route53: Route53Client,
  spec: HealthCheckSpec,
  options: { callerReference: string; inverted: boolean },
): Promise<string> {
  const out = await route53.send(
    new CreateHealthCheckCommand({
      CallerReference: options.callerReference,
      HealthCheckConfig: {
        Type: spec.type,
        FullyQualifiedDomainName: spec.fqdn,
        Port: spec.port,
        ResourcePath: spec.resourcePath,
        RequestInterval: spec.requestIntervalS,
        FailureThreshold: spec.failureThreshold,
        EnableSNI: spec.enableSni,
        Inverted: options.inverted,
      },
    }),
  );
  const id = out.HealthCheck!.Id!;
  await tagHealthCheck(route53, id, spec.tags);
  return id;
}

export async function tagHealthCheck(
  route53: Route53Client,
  id: string,
  tags: Record<string, string>,
): Promise<void> {
  await route53.send(
    new ChangeTagsForResourceCommand({
      ResourceType: "healthcheck",
      ResourceId: id,
      AddTags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
}

export async function updateHealthCheck(
  route53: Route53Client,
  id: string,
  version: number | undefined,
  update: SafeHealthCheckUpdate,
): Promise<void> {
  await route53.send(updateHealthCheckInput(id, version, update));
}

export async function deleteHealthCheck(route53: Route53Client, id: string): Promise<void> {
  await route53.send(new DeleteHealthCheckCommand({ HealthCheckId: id }));
}

/** What Route 53's checkers last reported for one check, one observation per checker. */
export async function readHealthCheckObservations(
  route53: Route53Client,
  id: string,
): Promise<HealthCheckObservation[]> {
  const out = await route53.send(new GetHealthCheckStatusCommand({ HealthCheckId: id }));
  return out.HealthCheckObservations ?? [];
}
