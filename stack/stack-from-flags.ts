import { ConfigError, type ConfigProblem } from "../config/config-error.ts";
import { checkEnvName } from "../config/env-name.ts";
import { loadEnvironment } from "../config/load-config.ts";
import { controlReplicas, type EnvironmentConfig, environmentSchema } from "../config/schema.ts";
import { freePort } from "../core/free-port.ts";
import { SimInputError } from "../simulator/input/input-error.ts";
import type { LatencyTable } from "../simulator/latency/latency-table.ts";
import { loadLatencyTable } from "../simulator/latency/load-latency-table.ts";
import type { StackOptions } from "./start-stack.ts";

export interface StackFlags {
  env: string;
  store: string;
  dynamodbEndpoint?: string;
  replication?: string;
  host: string;
  port: number;
  controlPort: number;
  regionPorts?: string;
  clientLocation?: string;
  /** Where the router runs; its AWS region (the table's) is the one aws-region-outage must name to take it down. */
  routerLocation?: string;
  latencyTable: string;
  /** --store dynamodb: table prefix (default `failover-live-<env>`, the same on every start). */
  tablePrefix?: string;
  /** --store dynamodb: drop the prefix's tables first, so the stack starts empty. */
  fresh?: boolean;
}

/**
 * Turns `failover up` / `failover loadtest` flags into stack options. The stack takes an
 * environment's topology and policy (production's by default: prod-us and prod-ie) but
 * never its resources: endpoints become 127.0.0.1 ports, and the store is memory unless
 * --store dynamodb with a local endpoint.
 */
export async function stackOptionsFromFlags(flags: StackFlags): Promise<StackOptions> {
  const base = loadEnvironment(checkEnvName(flags.env, "--env"));
  const config = adjust(base, flags);
  const latency = loadTable(flags.latencyTable);
  const routerLocation =
    flags.routerLocation ?? config.regions.find((r) => r.name === config.initialActive)!.location;
  const clientLocation = flags.clientLocation ?? routerLocation;
  checkLatencyPairs(latency, config, clientLocation, routerLocation);
  const regionPorts = flags.regionPorts ? parsePorts(flags.regionPorts) : await twoFreePorts(flags.host);
  return {
    config,
    host: flags.host,
    routerPort: flags.port,
    controlPort: flags.controlPort,
    regionPorts,
    latency,
    clientLocation,
    routerLocation,
    adminToken: process.env.FAILOVER_ADMIN_TOKEN ?? `local-${Math.random().toString(36).slice(2)}`,
    fresh: flags.fresh === true,
  };
}

function loadTable(nameOrPath: string): LatencyTable {
  try {
    return loadLatencyTable(nameOrPath);
  } catch (error) {
    if (!(error instanceof SimInputError)) throw error;
    throw new ConfigError(
      error.problems.map((p) => ({
        file: `--latency-table ${p.line === undefined ? p.file : `${p.file}:${p.line}`}`,
        field: p.field,
        reason: p.reason,
      })),
    );
  }
}

/** Every hop the stack delays needs a round trip in the table: client->router, router->region, region<->region. */
function checkLatencyPairs(
  latency: LatencyTable,
  config: EnvironmentConfig,
  clientLocation: string,
  routerLocation: string,
): void {
  const [a, b] = config.regions;
  const hops: [string, string, string][] = [
    ["--client-location", clientLocation, routerLocation],
    ...config.regions.map((r): [string, string, string] => ["--latency-table", routerLocation, r.location]),
    ["--latency-table", a!.location, b!.location],
    // Control-plane calls: the router and each region to every control replica, and the replicas' quorum.
    ...controlReplicas(config).flatMap((replica): [string, string, string][] => [
      ["--router-location", routerLocation, replica.location],
      ...config.regions.map((r): [string, string, string] => [
        "--latency-table",
        r.location,
        replica.location,
      ]),
      ...controlReplicas(config).map((o): [string, string, string] => [
        "--latency-table",
        o.location,
        replica.location,
      ]),
    ]),
  ];
  const known = latency.locations().join(", ");
  const problems: ConfigProblem[] = [];
  for (const [flag, from, to] of hops) {
    if (latency.find(from, to)) continue;
    const reason =
      (flag === "--client-location" || flag === "--router-location") && !latency.locations().includes(from)
        ? `location "${from}" is not in latency table "${latency.name}" (have ${known})`
        : `latency table "${latency.name}" has no round trip between ${from} and ${to} (have ${known})`;
    if (!problems.some((p) => p.reason === reason)) problems.push({ file: flag, field: "", reason });
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

function adjust(base: EnvironmentConfig, flags: StackFlags): EnvironmentConfig {
  if (flags.store !== "memory" && flags.store !== "dynamodb") {
    throw new ConfigError([
      { file: "--store", field: "", reason: `must be memory or dynamodb, got "${flags.store}"` },
    ]);
  }
  if (flags.store === "dynamodb" && !flags.dynamodbEndpoint) {
    throw new ConfigError([
      {
        file: "--dynamodb-endpoint",
        field: "",
        reason: "--store dynamodb needs a local endpoint, e.g. http://127.0.0.1:8000",
      },
    ]);
  }
  const raw = {
    ...base,
    store:
      flags.store === "dynamodb"
        ? { kind: "dynamodb", tablePrefix: liveTablePrefix(base, flags), endpoint: flags.dynamodbEndpoint }
        : { ...base.store, kind: "memory" },
    replication: flags.replication ? { ...base.replication, mode: flags.replication } : base.replication,
  };
  const parsed = environmentSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const flag =
      issue.path[0] === "store"
        ? "--dynamodb-endpoint"
        : issue.path[0] === "replication"
          ? "--replication"
          : "flags";
    throw new ConfigError([{ file: flag, field: issue.path.join("."), reason: issue.message }]);
  }
  return parsed.data;
}

/**
 * A stable prefix, so a stack restarted with the same flags finds the writes it acknowledged
 * before (a prefix per start left them in the old tables: issue 13 (docs/issues.md) saw 168 of 324 "lost").
 */
function liveTablePrefix(base: EnvironmentConfig, flags: StackFlags): string {
  return flags.tablePrefix ?? `failover-live-${base.name}`;
}

function parsePorts(text: string): [number, number] {
  const ports = text.split(",").map((p) => (/^\d+$/.test(p.trim()) ? Number(p) : Number.NaN));
  if (
    ports.length !== 2 ||
    ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535) ||
    ports[0] === ports[1]
  ) {
    throw new ConfigError([
      { file: "--region-ports", field: "", reason: `want two different ports like 8101,8102; got "${text}"` },
    ]);
  }
  return ports as [number, number];
}

/** Two ports the OS says are free; asked again if it hands out the same one twice. */
async function twoFreePorts(host: string): Promise<[number, number]> {
  const first = await freePort(host);
  let second = await freePort(host);
  while (second === first) second = await freePort(host);
  return [first, second];
}
