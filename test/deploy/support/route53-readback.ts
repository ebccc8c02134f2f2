import {
  CreateHostedZoneCommand,
  GetHealthCheckCommand,
  type HealthCheck,
  ListHealthChecksCommand,
  ListResourceRecordSetsCommand,
  ListTagsForResourceCommand,
  type ResourceRecordSet,
  type Route53Client,
} from "@aws-sdk/client-route-53";

/**
 * Reads what moto's Route 53 holds with plain SDK calls, independent of the deploy code under
 * test, so the tests check the server's state rather than the deploy's own view of it.
 */
export async function createZone(route53: Route53Client, name: string): Promise<string> {
  const out = await route53.send(
    new CreateHostedZoneCommand({ Name: name, CallerReference: `test-${name}-${Date.now()}` }),
  );
  return out.HostedZone!.Id!.replace("/hostedzone/", "");
}

export async function recordsNamed(
  route53: Route53Client,
  zoneId: string,
  name: string,
): Promise<ResourceRecordSet[]> {
  const out = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }));
  const wanted = name.endsWith(".") ? name : `${name}.`;
  return (out.ResourceRecordSets ?? []).filter((r) => r.Name === wanted);
}

export async function allHealthChecks(route53: Route53Client): Promise<HealthCheck[]> {
  return (await route53.send(new ListHealthChecksCommand({}))).HealthChecks ?? [];
}

export async function healthCheck(route53: Route53Client, id: string): Promise<HealthCheck> {
  return (await route53.send(new GetHealthCheckCommand({ HealthCheckId: id }))).HealthCheck!;
}

export async function tagsOf(route53: Route53Client, id: string): Promise<Record<string, string>> {
  const out = await route53.send(
    new ListTagsForResourceCommand({ ResourceType: "healthcheck", ResourceId: id }),
  );
  return Object.fromEntries((out.ResourceTagSet?.Tags ?? []).map((t) => [t.Key!, t.Value!]));
}
