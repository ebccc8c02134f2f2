import { z } from "zod";
import { defineFault } from "./fault-definition.ts";

/** The region's store is unreachable: the service answers, /readyz says 503, writes fail. */
export const storeDownFault = defineFault({
  kind: "store-down",
  summary: "a region's store stops answering; the service stays up but cannot serve",
  params: { region: z.string().min(1) },
  stacking: "counted: the store is down while at least one store-down covers its region",
  cli: { verb: "store-down", argument: "region", fromArgument: (region) => ({ region }) },
});
