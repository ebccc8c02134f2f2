import {
  ListHostedZonesByNameCommand,
  type ListHostedZonesByNameCommandOutput,
  type Route53Client,
} from "@aws-sdk/client-route-53";
import { DeployError } from "../deploy-error.ts";
import { fqdn } from "../plan/dns-name.ts";
import type { HostedZone } from "../plan/plan-types.ts";

/**
 * The hosted zone named in config. Deploy never creates one: a new public zone needs its name
 * servers delegated at the registrar, which no tool can do for you. Public zones are preferred
 * over private ones of the same name; two public ones are ambiguous and refused.
 */
export async function findHostedZone(route53: Route53Client, name: string): Promise<HostedZone> {
  const wanted = fqdn(name);
  const found: { id: string; name: string; private: boolean }[] = [];
  let dnsName: string | undefined = wanted;
  let zoneId: string | undefined;
  // Zones come back in name order starting at DNSName; stop once past the wanted name.
  for (let page = 0; page < 100 && dnsName !== undefined; page++) {
    const out: ListHostedZonesByNameCommandOutput = await route53.send(
      new ListHostedZonesByNameCommand({
        DNSName: dnsName,
        ...(zoneId ? { HostedZoneId: zoneId } : {}),
        MaxItems: 100,
      }),
    );
    const zones = out.HostedZones ?? [];
    for (const zone of zones) {
      if (fqdn(zone.Name ?? "") !== wanted) continue;
      found.push({ id: shortId(zone.Id ?? ""), name: wanted, private: zone.Config?.PrivateZone === true });
    }
    const pastWanted = zones.some((z) => fqdn(z.Name ?? "") !== wanted);
    if (!out.IsTruncated || pastWanted) break;
    dnsName = out.NextDNSName;
    zoneId = out.NextHostedZoneId;
  }
  const publicZones = found.filter((z) => !z.private);
  const candidates = publicZones.length > 0 ? publicZones : found;
  if (candidates.length === 0) {
    throw new DeployError(
      `hosted zone "${wanted}" (dns.hostedZoneName) was not found in this AWS account; ` +
        "create it and delegate its name servers first, or fix the name. Nothing was changed.",
    );
  }
  if (candidates.length > 1) {
    throw new DeployError(
      `${candidates.length} hosted zones are named "${wanted}" (${candidates.map((z) => z.id).join(", ")}); ` +
        "delete the spare one so deploy knows which to use. Nothing was changed.",
    );
  }
  const zone = candidates[0]!;
  return { id: zone.id, name: zone.name };
}

/** "/hostedzone/Z123" -> "Z123" (the SDK accepts either; plans show the short form). */
export function shortId(id: string): string {
  return id.replace(/^\/(hostedzone|change)\//, "");
}
