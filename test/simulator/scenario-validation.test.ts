import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatInputProblem, SimInputError } from "../../simulator/input/input-error.ts";
import { loadScenarioFile, parseScenarioText } from "../../simulator/scenario/load-scenario.ts";
import {
  STORED_BYTES_PER_WRITE_PER_REGION,
  storeBudgetProblem,
  storeDemand,
} from "../../simulator/scenario/store-budget.ts";
import { tempDir } from "../support/temp-dir.ts";

/** The problems a scenario text produces, formatted as the CLI prints them (file:line: field: reason). */
function problemsOf(text: string, file = "bad.yaml"): string[] {
  try {
    parseScenarioText(text, file, process.cwd());
  } catch (error) {
    if (error instanceof SimInputError) return error.problems.map(formatInputProblem);
    throw error;
  }
  throw new Error("the scenario was accepted");
}

const GOOD = `name: ok
durationS: 60
clients:
  - location: virginia
    ratePerS: 10
faults:
  - kind: region-down
    region: prod-us
    startS: 10
    durationS: 20
`;

describe("scenario validation", () => {
  it("accepts a minimal scenario and fills the defaults", () => {
    const file = parseScenarioText(GOOD, "ok.yaml", process.cwd());
    const s = file.scenarios[0]!;
    expect(file.kind).toBe("single");
    expect(s.environment).toBe("production");
    expect(s.failoverBy).toBe("router");
    expect(s.routers).toEqual([{ id: "edge-virginia", location: "virginia", awsRegion: "us-east-1" }]);
    expect(s.clients[0]).toMatchObject({ name: "virginia", routerId: "edge-virginia", writeShare: 0.1 });
    expect(s.faults[0]).toMatchObject({
      kind: "region-down",
      startMs: 10_000,
      endMs: 30_000,
      warrantsFailoverFrom: ["prod-us"],
    });
  });

  it("names the file, the line and the field of a fault's bad duration", () => {
    const text = GOOD.replace("durationS: 20", 'durationS: "two minutes"');
    expect(problemsOf(text, "prod-us-outage.yaml")).toEqual([
      'prod-us-outage.yaml:10: faults[0].durationS: expected a number, got "two minutes"',
    ]);
  });

  it("names a missing required field at its parent's line", () => {
    const text = GOOD.replace("    ratePerS: 10\n", "");
    expect(problemsOf(text)).toEqual(["bad.yaml:4: clients[0].ratePerS: required (expected a number)"]);
  });

  it("points at the key of an unknown field", () => {
    const text = GOOD.replace("durationS: 60", "durationS: 60\nduraton: 5");
    expect(problemsOf(text)).toEqual(["bad.yaml:3: duraton: unknown field (check its spelling)"]);
  });

  it("lists the known fault kinds for an unknown one", () => {
    const [problem] = problemsOf(GOOD.replace("kind: region-down", "kind: region-explodes"));
    expect(problem).toMatch(
      /^bad\.yaml:7: faults\[0\]\.kind: unknown fault kind "region-explodes"; known kinds: aws-region-outage, brownout, control-replica-slow, flapping/,
    );
  });

  it("refuses a region the environment does not have", () => {
    expect(problemsOf(GOOD.replace("region: prod-us", "region: prod-eu"))).toEqual([
      'bad.yaml:8: faults[0].region: "prod-eu" is not a region of this environment (prod-us, prod-ie)',
    ]);
  });

  it("refuses a fault that ends after the scenario", () => {
    expect(problemsOf(GOOD.replace("startS: 10", "startS: 50"))).toEqual([
      "bad.yaml:10: faults[0].durationS: the fault ends at 70 s, after the scenario ends (durationS 60)",
    ]);
  });

  it("validates router policy overrides against the router's own schema", () => {
    const text = GOOD.replace(
      "durationS: 60",
      "durationS: 60\nrouter:\n  healthCheck:\n    intervalMs: 1000\n    timeoutMs: 1500",
    );
    expect(problemsOf(text)).toEqual([
      "bad.yaml:6: router.healthCheck.timeoutMs: timeoutMs must be less than intervalMs (got 1500)",
    ]);
  });

  it("refuses a location the latency table does not know", () => {
    const [problem] = problemsOf(GOOD.replace("location: virginia", "location: atlantis"));
    expect(problem).toMatch(
      /^bad\.yaml:4: clients\[0\]\.location: "atlantis" is not a location of the latency table "inter-region" \(it knows: california, frankfurt/,
    );
  });

  it("reports every problem at once", () => {
    const text = GOOD.replace("ratePerS: 10", "ratePerS: -1").replace("region: prod-us", "region: nowhere");
    expect(problemsOf(text)).toHaveLength(1); // the shape is checked before names: fix the shape first
    expect(problemsOf(text)[0]).toMatch(/^bad\.yaml:5: clients\[0\]\.ratePerS: /);
  });

  it("maps a comparison variant's error to the variant's own line", () => {
    const text = `${GOOD}variants:\n  - label: a\n  - label: b\n    replication: { mode: sometimes }\n`;
    expect(problemsOf(text)).toEqual([
      'bad.yaml:14: variants[1].replication.mode: expected one of "async", "sync", got "sometimes"',
    ]);
  });

  it("reports YAML syntax errors with their line", () => {
    expect(problemsOf("name: x\nclients: [\n", "broken.yaml")[0]).toMatch(
      /^broken\.yaml:\d+: \(root\): not valid YAML/,
    );
  });

  it("reads a scenario file and names a missing one", () => {
    const dir = tempDir("sim-scenario-");
    const file = join(dir, "good.yaml");
    writeFileSync(file, GOOD);
    expect(loadScenarioFile(file).scenarios[0]!.name).toBe("ok");
    expect(() => loadScenarioFile(join(dir, "missing.yaml"))).toThrow(/cannot read scenario/);
  });

  it("uses a table of the user's own, next to the scenario, and reports its problems with both lines", () => {
    const dir = tempDir("sim-table-");
    writeFileSync(join(dir, "rtt.csv"), "a,b,rttMs,source\nvirginia,ireland,70,my ping 2025\n");
    const scenarioFile = join(dir, "s.yaml");
    writeFileSync(scenarioFile, GOOD.replace("durationS: 60", "durationS: 60\nlatency:\n  table: rtt.csv"));
    // Production's control replicas sit in Ohio and Oregon too, which this table does not know.
    expect(() => loadScenarioFile(scenarioFile)).toThrow(
      /control replica us-east-2 is at "ohio", which the latency table "rtt" does not know \(add it to the table, or place the record with the scenario's control:/,
    );
    writeFileSync(
      scenarioFile,
      GOOD.replace(
        "durationS: 60",
        "durationS: 60\nlatency:\n  table: rtt.csv\ncontrol: { replicas: [{ awsRegion: us-east-1, location: virginia }] }",
      ),
    );
    const s = loadScenarioFile(scenarioFile).scenarios[0]!;
    expect(s.latencyTable.roundTrip("ireland", "virginia")).toMatchObject({
      rttMs: 70,
      source: "my ping 2025",
    });
    writeFileSync(join(dir, "rtt.csv"), "a,b,rttMs,source\nvirginia,ireland,slow,my ping 2025\n");
    try {
      loadScenarioFile(scenarioFile);
      throw new Error("accepted");
    } catch (error) {
      const lines = (error as SimInputError).problems.map(formatInputProblem);
      expect(lines[0]).toMatch(/s\.yaml:4: latency\.table: cannot use latency table "rtt\.csv"/);
      expect(lines[1]).toMatch(/rtt\.csv:2: rttMs: expected a number of milliseconds/);
    }
  });

  it("scales times and rates for quick runs", () => {
    const s = parseScenarioText(GOOD, "ok.yaml", process.cwd(), { scaleTime: 0.5, scaleRate: 2 })
      .scenarios[0]!;
    expect(s.durationS).toBe(30);
    expect(s.faults[0]).toMatchObject({ startMs: 5000, endMs: 15_000 });
    expect(s.clients[0]!.ratePerS).toBe(20);
  });

  it("refuses, before it starts, a run whose stored writes would not fit in the heap", () => {
    // A week at 100,000 requests/s, all writes: ~60 billion writes kept in both regions.
    const text = GOOD.replace("durationS: 60", "durationS: 604800").replace(
      "ratePerS: 10",
      "ratePerS: 100000\n    writeShare: 1",
    );
    const [problem, ...rest] = problemsOf(text, "huge.yaml");
    expect(rest).toEqual([]);
    expect(problem).toMatch(
      /^huge\.yaml:2: durationS: the clients would send ~60,480,000,000 writes, which the 2 simulated regions keep/,
    );
    expect(problem).toMatch(/Shorten durationS, lower the clients' ratePerS or writeShare/);
  });
});

describe("store budget", () => {
  const clients = [
    { ratePerS: 700, writeShare: 0.05 },
    { ratePerS: 300, writeShare: 0.05 },
  ];

  it("counts every write once per region", () => {
    const demand = storeDemand(clients, 3600, 2);
    expect(demand.writes).toBeCloseTo(180_000, 6);
    expect(demand.bytes).toBeCloseTo(180_000 * 2 * STORED_BYTES_PER_WRITE_PER_REGION, 0);
  });

  it("lets a run through up to 70% of the heap limit and names the heap it would need beyond", () => {
    const demand = storeDemand(clients, 3600, 2); // 216 MB
    expect(storeBudgetProblem(demand, 400e6)).toBeUndefined(); // budget 280 MB
    const problem = storeBudgetProblem(demand, 300e6); // budget 210 MB
    expect(problem).toMatch(/more than this process's 300 MB heap holds/);
    expect(problem).toMatch(/--max-old-space-size=309\)$/); // 216 MB / 0.7, rounded up
  });
});
