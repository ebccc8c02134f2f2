import { z } from "zod";
import { defineFault } from "./fault-definition.ts";

/**
 * Packets between two groups of endpoints are dropped: new requests fail with connect_timeout,
 * those on the wire are lost (the caller's response timeout fires). Selectors: a region, a router
 * id, a control replica, "client:<name>", or a group: "clients", "routers", "regions", "dns",
 * "control" (the live stack has one client group, one router and the two regions).
 */
export const partitionFault = defineFault({
  kind: "partition",
  summary:
    "packets between two groups of endpoints are dropped (client-router, router-region, region-region)",
  params: {
    /** Two endpoint selectors. */
    between: z.tuple([z.string().min(1), z.string().min(1)]),
    /** Drop only packets from between[0] to between[1]. */
    oneWay: z.boolean().default(false),
  },
  stacking: "a union: a packet is dropped if any partition covers its link in its direction",
  cli: {
    verb: "partition",
    argument: "A<->B|A->B",
    fromArgument: (text) => {
      const both = text.split("<->");
      if (both.length === 2) return { between: both, oneWay: false };
      return { between: text.split("->"), oneWay: true };
    },
  },
});
