import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../core/random.ts";
import { formatInputProblem, SimInputError } from "../../simulator/input/input-error.ts";
import { makeJitter } from "../../simulator/latency/jitter.ts";
import { LinkModel } from "../../simulator/latency/link.ts";
import {
  loadLatencyTable,
  parseCsvTable,
  parseJsonTable,
  readTable11Rows,
} from "../../simulator/latency/load-latency-table.ts";

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof SimInputError) return error.problems.map(formatInputProblem);
    throw error;
  }
  throw new Error("accepted");
}

describe("Table 11 (seed 002)", () => {
  it("has the seed's eleven rows with their figures in ns, each citing its source", () => {
    const rows = readTable11Rows();
    expect(rows.map((r) => [r.id, r.ns])).toEqual([
      ["l1-read", 1],
      ["dram-read", 100],
      ["snappy-1kb", 2000],
      ["dram-1mb", 3000],
      ["ssd-read", 16_000],
      ["ssd-1mb", 49_000],
      ["datacenter-rtt", 500_000],
      ["disk-seek", 2_000_000],
      ["disk-1mb", 5_000_000],
      ["california-new-york-rtt", 40_000_000],
      ["california-australia-rtt", 183_000_000],
    ]);
    for (const r of rows) expect(r.source).toMatch(/Table 11/);
  });

  it("gives the seed's arithmetic: 183 ms over 0.5 ms is 366 times", () => {
    const table = loadLatencyTable("table11");
    const local = table.roundTrip("sydney", "sydney").rttMs;
    const remote = table.roundTrip("california", "sydney").rttMs;
    expect([local, remote, remote / local]).toEqual([0.5, 183, 366]);
  });
});

describe("inter-region table", () => {
  const table = loadLatencyTable("inter-region");

  it("uses the published figures from PRODUCT.md where there is one", () => {
    expect(table.roundTrip("virginia", "ireland")).toMatchObject({ rttMs: 80.5, estimated: false });
    expect(table.roundTrip("ireland", "virginia").rttMs).toBe(80.5);
    expect(table.roundTrip("washington-dc", "london")).toMatchObject({ rttMs: 75, estimated: false });
    expect(table.roundTrip("california", "new-york")).toMatchObject({ rttMs: 40, estimated: false });
    expect(table.roundTrip("california", "sydney")).toMatchObject({ rttMs: 183, estimated: false });
    expect(table.roundTrip("california", "netherlands")).toMatchObject({ rttMs: 150, estimated: false });
    expect(table.roundTrip("frankfurt", "frankfurt")).toMatchObject({ rttMs: 0.5 });
  });

  it("covers every pair of the locations the environments use, and says which are estimates", () => {
    const locations = ["virginia", "ireland", "california", "new-york", "frankfurt", "sydney", "london"];
    for (const a of locations) for (const b of locations) expect(table.find(a, b)).toBeDefined();
    const newYorkSydney = table.roundTrip("new-york", "sydney");
    expect(newYorkSydney.estimated).toBe(true);
    expect(newYorkSydney.source).toMatch(/^estimated: /);
    expect(table.roundTrip("frankfurt", "sydney")).toMatchObject({ rttMs: 283.567, estimated: false });
  });

  it("cites a source for every entry", () => {
    const raw = JSON.parse(readFileSync("simulator/latency/inter-region.json", "utf8")) as {
      pairs: { source: string }[];
    };
    for (const p of raw.pairs) expect(p.source.length).toBeGreaterThan(10);
  });
});

describe("user tables", () => {
  it("reads a CSV table, with * for the same-location default", () => {
    const t = parseCsvTable(
      'a,b,rttMs,source\n*,*,0.3,my lab\nparis,tokyo,220,"ping, 2024"\n',
      "mine.csv",
      "mine",
    );
    expect(t.roundTrip("tokyo", "paris")).toMatchObject({ rttMs: 220, source: "ping, 2024" });
    expect(t.roundTrip("paris", "paris").rttMs).toBe(0.3);
  });

  it("names the line and column of bad CSV", () => {
    expect(problemsOf(() => parseCsvTable("a,b,rtt,source\n", "mine.csv", "mine"))).toEqual([
      'mine.csv:1: header: expected the header "a,b,rttMs,source", got "a,b,rtt,source"',
    ]);
    expect(
      problemsOf(() =>
        parseCsvTable(
          "a,b,rttMs,source\nparis,tokyo,fast,my ping\nparis,tokyo,200,my ping\nparis,Tokyo,1,my ping\n",
          "mine.csv",
          "m",
        ),
      ),
    ).toEqual([
      'mine.csv:2: rttMs: expected a number of milliseconds in (0, 60000], got "fast"',
      'mine.csv:4: b: "Tokyo" is not a location id',
    ]);
  });

  it("names the line and field of a bad JSON table", () => {
    const text =
      '{\n  "pairs": [\n    { "a": "paris", "b": "tokyo", "rttMs": -3, "source": "my ping" }\n  ]\n}\n';
    expect(problemsOf(() => parseJsonTable(text, "mine.json", "mine"))).toEqual([
      "mine.json:3: pairs[0].rttMs: must be above 0, got -3",
    ]);
    expect(problemsOf(() => parseJsonTable('{"pairs": []}', "empty.json", "e"))[0]).toMatch(
      /^empty\.json:1: pairs: /,
    );
  });

  it("names a table file that does not exist", () => {
    expect(problemsOf(() => loadLatencyTable("nope.json"))[0]).toMatch(
      /^nope\.json: \(root\): cannot read latency table .*built-in tables: inter-region, table11/,
    );
  });
});

describe("jitter and links", () => {
  it("draws the same delays from the same seed, per direction", () => {
    const a = new LinkModel(
      loadLatencyTable("inter-region"),
      { distribution: "lognormal", medianMs: 1, sigma: 1, capMs: 1000 },
      42,
    );
    const b = new LinkModel(
      loadLatencyTable("inter-region"),
      { distribution: "lognormal", medianMs: 1, sigma: 1, capMs: 1000 },
      42,
    );
    const draws = (m: LinkModel, from: string, to: string) =>
      Array.from({ length: 5 }, () => m.direction(from, "virginia", to, "ireland").oneWayMs());
    const there = draws(a, "x", "y");
    expect(draws(b, "x", "y")).toEqual(there);
    expect(draws(a, "y", "x")).not.toEqual(there);
    for (const d of there) expect(d).toBeGreaterThan(80.5 / 2);
  });

  it("has a heavy tail: Pareto's p99.9 is far above its median", () => {
    const sample = makeJitter(
      { distribution: "pareto", scaleMs: 1, shape: 1.2, capMs: 1e6 },
      seededRandom(3),
    );
    const values = Array.from({ length: 20_000 }, sample).sort((x, y) => x - y);
    const median = values[10_000]!;
    const p999 = values[19_980]!;
    // Pareto(x_m 1, alpha 1.2) shifted to 0: median 2^(1/1.2) - 1 = 0.78, p99.9 = 1000^(1/1.2) - 1 = 315.
    expect(median).toBeCloseTo(0.78, 1);
    expect(p999 / median).toBeGreaterThan(200);
  });

  it("caps every draw", () => {
    const sample = makeJitter({ distribution: "exponential", meanMs: 100, capMs: 5 }, seededRandom(9));
    for (let i = 0; i < 1000; i++) expect(sample()).toBeLessThanOrEqual(5);
  });
});
