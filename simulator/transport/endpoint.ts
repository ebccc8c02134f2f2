/** Anything that sends or receives simulated requests. */
/** "control": a replica (or the witness) of the control record, as a DynamoDB MRSC table has them. */
export type EndpointKind = "region" | "router" | "client" | "checker" | "control";

export interface Endpoint {
  /** Unique in the run, e.g. "prod-us", "prod-us/cell-prod-ie", "edge-virginia", "client:us-users". */
  id: string;
  kind: EndpointKind;
  /** A location in the latency table. */
  location: string;
  /** The region name, router id, client name or checker id that faults and reports use. */
  name: string;
  /** The AWS region it runs in (its failure domain for aws-region-outage); clients have none. */
  awsRegion?: string;
  /** Servers only (regions, routers): the in-process app. Replaced when a router restarts. */
  fetch?: (request: Request, peerAddress: string) => Promise<Response>;
}

/**
 * Does a fault's endpoint selector cover this endpoint? Selectors: a region name, a router id,
 * "client:<name>", "control-<aws-region>" (one control replica; "witness-<aws-region>"), or a whole group: "clients",
 * "routers", "regions", "dns" (Route 53's checkers), "control" (every control replica).
 */
export function selectorMatches(selector: string, endpoint: Endpoint): boolean {
  switch (selector) {
    case "clients":
      return endpoint.kind === "client";
    case "routers":
      return endpoint.kind === "router";
    case "regions":
      return endpoint.kind === "region";
    case "dns":
      return endpoint.kind === "checker";
    case "control":
      return endpoint.kind === "control";
  }
  if (selector.startsWith("client:"))
    return endpoint.kind === "client" && endpoint.name === selector.slice(7);
  return (
    (endpoint.kind === "region" || endpoint.kind === "router" || endpoint.kind === "control") &&
    endpoint.name === selector
  );
}
