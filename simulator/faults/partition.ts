import { partitionFault } from "../../core/faults/partition.ts";
import { endMs, type FaultPlanContext, simFault } from "./registry.ts";

/**
 * Packets between two groups of endpoints are dropped: new requests fail with connect_timeout
 * after the caller's connect timeout; requests and responses already on the wire are lost (the
 * caller's response timeout fires). Any link: client-edge ("client:us-users" and
 * "edge-virginia"), router-region ("routers" and "prod-us"), region-region replication
 * ("prod-us" and "prod-ie").
 */
/** Control replicas by name, as endpoints call them: control-us-east-1, witness-us-west-2. */
function controlNames(ctx: FaultPlanContext): string[] {
  return ctx.domains.controlReplicas.map((r) => `${r.witness ? "witness" : "control"}-${r.awsRegion}`);
}

function checkSelector(selector: string, ctx: FaultPlanContext): boolean {
  if (["clients", "routers", "regions", "dns", "control"].includes(selector)) return true;
  if (controlNames(ctx).includes(selector)) return true;
  if (selector.startsWith("client:")) return ctx.clientNames.includes(selector.slice("client:".length));
  return ctx.regionNames.includes(selector) || ctx.routerIds.includes(selector);
}

function isRouterSide(selector: string, ctx: FaultPlanContext): boolean {
  return selector === "routers" || ctx.routerIds.includes(selector);
}

export const partition = simFault(partitionFault, {
  check: (p, ctx) =>
    p.between.flatMap((selector, i) =>
      checkSelector(selector, ctx)
        ? []
        : [
            {
              field: `between[${i}]`,
              reason:
                `"${selector}" matches nothing: use a region (${ctx.regionNames.join(", ")}), a router ` +
                `(${ctx.routerIds.join(", ")}), a control replica (${controlNames(ctx).join(", ")}), ` +
                "client:<name>, clients, routers, regions, dns or control",
            },
          ],
    ),
  plan: (p) => [
    {
      type: "link",
      a: p.between[0],
      b: p.between[1],
      oneWay: p.oneWay,
      fromMs: p.startS * 1000,
      toMs: endMs(p),
    },
  ],
  // Routers cut off from a region cannot use it: failing over from it is warranted.
  warrantsFailoverFrom: (p, ctx) => {
    const [a, b] = p.between;
    const regionsOf = (s: string) =>
      s === "regions" ? [...ctx.regionNames] : ctx.regionNames.filter((r) => r === s);
    if (isRouterSide(a, ctx)) return regionsOf(b);
    if (isRouterSide(b, ctx)) return regionsOf(a);
    return [];
  },
  describe: (p) => `partition ${p.between[0]} ${p.oneWay ? "->" : "<->"} ${p.between[1]}`,
});
