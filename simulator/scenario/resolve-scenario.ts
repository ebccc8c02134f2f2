import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { ConfigError } from "../../config/config-error.ts";
import { controlPlaneSchema } from "../../config/control-plane-schema.ts";
import { loadConfigFile, loadEnvironment } from "../../config/load-config.ts";
import { routerPolicySchema } from "../../config/router-policy-schema.ts";
import {
  controlReplicas,
  ENV_NAMES,
  type EnvironmentConfig,
  type EnvName,
  replicationSchema,
} from "../../config/schema.ts";
import type { FailureDomains } from "../faults/registry.ts";
import { type InputProblem, SimInputError } from "../input/input-error.ts";
import type { Locator } from "../input/locator.ts";
import { problemsFromZod } from "../input/zod-problems.ts";
import type { LatencyTable } from "../latency/latency-table.ts";
import { loadLatencyTable } from "../latency/load-latency-table.ts";
import { deepMerge } from "./deep-merge.ts";
import { planFaults } from "./plan-faults.ts";
import type { ResolvedClient, ResolvedScenario } from "./resolved-scenario.ts";
import { type ClientSpec, scenarioSchema } from "./scenario-schema.ts";
import { storeBudgetProblem, storeDemand } from "./store-budget.ts";

/**
 * Validates one scenario (a file, or a comparison variant merged onto its base) and resolves it
 * into what a run needs. Every problem found is reported at once, each with file, line and field.
 */
export function resolveScenario(
  raw: unknown,
  locator: Locator,
  baseDir: string,
  label?: string,
): ResolvedScenario {
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) throw new SimInputError(problemsFromZod(locator, parsed.error));
  const input = parsed.data;
  const problems: InputProblem[] = [];
  const at = (path: PropertyKey[], reason: string) =>
    problems.push({ file: locator.file, line: locator.lineOf(path), field: locator.fieldName(path), reason });

  const environment = loadScenarioEnvironment(input.environment, baseDir, locator);
  const config = mergeConfig(environment, input, locator, problems, at);
  const table = loadTable(input.latency.table, baseDir, locator);

  const routers = (
    input.failoverBy === "dns"
      ? []
      : (input.routers ??
        uniqueLocations(input.clients).map((location) => ({ id: `edge-${location}`, location })))
  ).map((r: { id: string; location: string; awsRegion?: string | undefined }) => ({
    id: r.id,
    location: r.location,
    awsRegion: r.awsRegion ?? table.awsRegionOf(r.location),
  }));
  const clients = input.clients.map((c, i) => resolveClient(c, i, routers, table, input.failoverBy, at));
  checkUniqueNames(clients, at);
  checkPairs(
    table,
    config,
    routers,
    clients,
    input.failoverBy === "dns" ? input.dns.checkers : [],
    at,
    input.routers !== undefined,
  );

  checkControlPairs(table, config, routers, at);
  const domains = failureDomains(
    config,
    routers,
    input.failoverBy === "dns" ? input.dns.checkers : [],
    table,
  );
  const context = {
    regionNames: config.regions.map((r) => r.name),
    routerIds: routers.map((r) => r.id),
    clientNames: clients.map((c) => c.name),
    policy: config.router,
    domains,
  };
  const planned = planFaults(input.faults, context, input.durationS, locator);
  problems.push(...planned.problems);
  const tooBig = storeBudgetProblem(storeDemand(clients, input.durationS, config.regions.length));
  if (tooBig) at(["durationS"], tooBig);
  if (problems.length > 0) throw new SimInputError(problems);

  return {
    file: locator.file,
    name: input.name,
    label: label ?? input.name,
    description: input.description,
    environment: input.environment,
    config,
    durationS: input.durationS,
    settleS: input.settleS,
    seed: input.seed,
    failoverBy: input.failoverBy,
    topology: input.topology,
    latencyTable: table,
    latencyTableName: input.latency.table,
    jitter: input.latency.jitter,
    serviceTime: { readMs: input.serviceTimeMs.read, writeMs: input.serviceTimeMs.write },
    capacity: input.capacity,
    routers,
    domains,
    clockDriftPpm: input.clockDriftPpm,
    clients,
    dns: input.dns,
    faults: planned.faults,
    report: input.report,
    expect: input.expect,
  };
}

function loadScenarioEnvironment(name: string, baseDir: string, locator: Locator): EnvironmentConfig {
  try {
    if ((ENV_NAMES as readonly string[]).includes(name)) return loadEnvironment(name as EnvName);
    const file = resolve(baseDir, name);
    if (!existsSync(file)) {
      throw new SimInputError([
        {
          file: locator.file,
          line: locator.lineOf(["environment"]),
          field: "environment",
          reason: `"${name}" is neither an environment (${ENV_NAMES.join(", ")}) nor an existing file`,
        },
      ]);
    }
    return loadConfigFile(file);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new SimInputError(error.problems.map((p) => ({ file: p.file, field: p.field, reason: p.reason })));
  }
}

type At = (path: PropertyKey[], reason: string) => void;

/** The environment with the scenario's policy, replication and location overrides, validated again. */
function mergeConfig(
  environment: EnvironmentConfig,
  input: ReturnType<typeof scenarioSchema.parse>,
  locator: Locator,
  problems: InputProblem[],
  at: At,
): EnvironmentConfig {
  const policy = routerPolicySchema.safeParse(deepMerge(environment.router, input.router));
  if (!policy.success) {
    const value = { router: deepMerge(environment.router, input.router) };
    problems.push(...problemsFromZod({ ...locator, value }, policy.error, ["router"]));
  }
  const replication = replicationSchema.safeParse(deepMerge(environment.replication, input.replication));
  if (!replication.success) {
    const value = { replication: deepMerge(environment.replication, input.replication) };
    problems.push(...problemsFromZod({ ...locator, value }, replication.error, ["replication"]));
  }
  const control = controlPlaneSchema.safeParse(deepMerge(environment.control, input.control));
  if (!control.success) {
    const value = { control: deepMerge(environment.control, input.control) };
    problems.push(...problemsFromZod({ ...locator, value }, control.error, ["control"]));
  }
  const names = environment.regions.map((r) => r.name);
  for (const region of Object.keys(input.regionLocations)) {
    if (!names.includes(region))
      at(
        ["regionLocations", region],
        `"${region}" is not a region of ${environment.name} (${names.join(", ")})`,
      );
  }
  return {
    ...environment,
    regions: environment.regions.map((r) => ({
      ...r,
      location: input.regionLocations[r.name] ?? r.location,
    })),
    router: policy.success ? policy.data : environment.router,
    replication: replication.success ? replication.data : environment.replication,
    control: control.success ? control.data : environment.control,
  };
}

/** Every part's AWS region, for aws-region-outage and the reports. */
function failureDomains(
  config: EnvironmentConfig,
  routers: readonly { id: string; awsRegion: string | undefined }[],
  checkers: readonly string[],
  table: LatencyTable,
): FailureDomains {
  const witness = config.control.witness;
  return {
    regions: config.regions.map((r) => ({ name: r.name, awsRegion: r.awsRegion })),
    routers: routers.map((r) => ({ id: r.id, awsRegion: r.awsRegion })),
    controlReplicas: [
      ...controlReplicas(config).map((r) => ({ ...r, witness: false })),
      ...(witness ? [{ ...witness, witness: true }] : []),
    ],
    checkers: checkers.map((location) => ({ location, awsRegion: table.awsRegionOf(location) })),
  };
}

/**
 * Control-plane calls cross the simulated network: every region and router must have a round
 * trip to every control replica, and the replicas (and witness) to each other (their quorum).
 */
const PLACE_HINT =
  " (add it to the table, or place the record with the scenario's control: { replicas: [...] })";

function checkControlPairs(
  table: LatencyTable,
  config: EnvironmentConfig,
  routers: readonly { location: string }[],
  at: At,
): void {
  const members = [...controlReplicas(config), ...(config.control.witness ? [config.control.witness] : [])];
  const callers = [...config.regions.map((r) => r.location), ...routers.map((r) => r.location)];
  const known = new Set(table.locations());
  const seen = new Set<string>();
  for (const member of members) {
    if (!known.has(member.location)) {
      at(
        ["environment"],
        `control replica ${member.awsRegion} is at "${member.location}", which the latency table "${table.name}" does not know${PLACE_HINT}`,
      );
      continue;
    }
    for (const other of [...callers, ...members.map((m) => m.location)]) {
      const key = [member.location, other].sort().join("|");
      if (seen.has(key) || !known.has(other)) continue;
      seen.add(key);
      if (table.find(member.location, other) === undefined)
        at(
          ["environment"],
          `the latency table "${table.name}" has no round trip between control replica ${member.awsRegion} (${member.location}) and ${other}${PLACE_HINT}`,
        );
    }
  }
}

function loadTable(table: string, baseDir: string, locator: Locator): LatencyTable {
  try {
    return loadLatencyTable(table, baseDir);
  } catch (error) {
    if (!(error instanceof SimInputError)) throw error;
    const line = locator.lineOf(["latency", "table"]);
    throw new SimInputError([
      { file: locator.file, line, field: "latency.table", reason: `cannot use latency table "${table}"` },
      ...error.problems,
    ]);
  }
}

function uniqueLocations(clients: readonly ClientSpec[]): string[] {
  return [...new Set(clients.map((c) => c.location))];
}

function resolveClient(
  c: ClientSpec,
  index: number,
  routers: readonly { id: string; location: string }[],
  table: LatencyTable,
  failoverBy: "router" | "dns",
  at: At,
): ResolvedClient {
  let routerId: string | undefined;
  if (failoverBy === "router") {
    if (c.router !== undefined) {
      routerId = c.router;
      if (!routers.some((r) => r.id === c.router)) {
        at(
          ["clients", index, "router"],
          `"${c.router}" is not a router (${routers.map((r) => r.id).join(", ")})`,
        );
      }
    } else routerId = nearestRouter(c.location, routers, table);
  }
  return {
    name: c.name ?? c.location,
    location: c.location,
    ratePerS: c.ratePerS,
    writeShare: c.writeShare,
    arrival: c.arrival,
    routerId,
    connectTimeoutMs: c.connectTimeoutMs,
    timeoutMs: c.timeoutMs,
    ...(c.retries ? { retries: c.retries } : {}),
  };
}

function nearestRouter(
  location: string,
  routers: readonly { id: string; location: string }[],
  table: LatencyTable,
) {
  let best: { id: string; rttMs: number } | undefined;
  for (const r of routers) {
    const rttMs = table.find(location, r.location)?.rttMs ?? Number.POSITIVE_INFINITY;
    if (!best || rttMs < best.rttMs) best = { id: r.id, rttMs };
  }
  return best?.id;
}

function checkUniqueNames(clients: readonly ResolvedClient[], at: At): void {
  clients.forEach((c, i) => {
    if (clients.findIndex((o) => o.name === c.name) !== i) {
      at(["clients", i], `two client groups are named "${c.name}": give each a distinct name`);
    }
  });
}

/**
 * Every location the run uses must be one the table knows, and every link it will use must have
 * a round trip in it. Problems point at where the location was written (a client's location for
 * the edge router made for it).
 */
function checkPairs(
  table: LatencyTable,
  config: EnvironmentConfig,
  routers: readonly { id: string; location: string }[],
  clients: readonly ResolvedClient[],
  checkers: readonly string[],
  at: At,
  explicitRouters: boolean,
): void {
  const known = new Set(table.locations());
  const unknown = (loc: string) => !known.has(loc);
  const sayUnknown = (loc: string) =>
    `"${loc}" is not a location of the latency table "${table.name}" (it knows: ${[...known].join(", ")})`;
  const missing = (a: string, b: string) => table.find(a, b) === undefined;
  const say = (a: string, b: string) =>
    `the latency table "${table.name}" has no round trip between ${a} and ${b}`;
  const regionLocations = config.regions.map((r) => r.location);
  config.regions.forEach((r) => {
    if (unknown(r.location)) at(["regionLocations", r.name], sayUnknown(r.location));
  });
  clients.forEach((c, i) => {
    if (unknown(c.location)) {
      at(["clients", i, "location"], sayUnknown(c.location));
      return;
    }
    const targets = c.routerId
      ? [routers.find((r) => r.id === c.routerId)?.location ?? c.location]
      : regionLocations;
    for (const t of targets)
      if (!unknown(t) && missing(c.location, t)) at(["clients", i, "location"], say(c.location, t));
  });
  routers.forEach((r, i) => {
    const where = explicitRouters
      ? ["routers", i, "location"]
      : ["clients", clients.findIndex((c) => c.location === r.location), "location"];
    if (unknown(r.location)) {
      if (explicitRouters) at(where, sayUnknown(r.location));
      return;
    }
    for (const t of regionLocations) if (!unknown(t) && missing(r.location, t)) at(where, say(r.location, t));
  });
  const [a, b] = regionLocations as [string, string];
  if (!unknown(a) && !unknown(b) && missing(a, b)) at(["environment"], say(a, b));
  checkers.forEach((loc, i) => {
    if (unknown(loc)) {
      at(["dns", "checkers", i], sayUnknown(loc));
      return;
    }
    for (const t of regionLocations)
      if (!unknown(t) && missing(loc, t)) at(["dns", "checkers", i], say(loc, t));
  });
}
