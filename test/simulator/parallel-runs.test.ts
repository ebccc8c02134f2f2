import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type RunJob, runJobs } from "../../simulator/run/run-jobs.ts";
import type { ThreadCost } from "../../simulator/run/thread-cost.ts";
import { cachedBundle, stamp, unchanged, workerEntry } from "../../simulator/run/worker-bundle.ts";
import { SCENARIOS_DIR } from "../../simulator/scenario/load-scenario.ts";

const dir = mkdtempSync(join(tmpdir(), "sim-parallel-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function simulate(out: string, ...args: string[]) {
  const r = spawnSync(
    process.execPath,
    ["bin/failover.js", "simulate", ...args, "--scale-time", "0.05", "--scale-rate", "0.2", "--out", out],
    { encoding: "utf8", timeout: 240_000 },
  );
  // The "ran ... in 1.2 s" lines carry wall time and the report paths name the folder: drop both.
  const stdout = r.stdout
    .split("\n")
    .filter((line) => !line.startsWith("ran ") && !line.startsWith("reports: "))
    .join("\n");
  const reports = Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), "utf8")]));
  return { code: r.status, stderr: r.stderr, stdout, reports };
}

describe("independent runs on worker threads", () => {
  it("a sweep on two workers writes the same bytes as a serial one", () => {
    const serial = simulate(join(dir, "sweep-1"), "sweep", "--jobs", "1");
    const parallel = simulate(join(dir, "sweep-2"), "sweep", "--jobs", "2");
    expect(serial.code, serial.stderr).toBe(0);
    expect(parallel.code, parallel.stderr).toBe(0);
    expect(Object.keys(serial.reports)).toHaveLength(2); // JSON and HTML
    expect(parallel.reports).toEqual(serial.reports);
    expect(parallel.stdout).toBe(serial.stdout);
  }, 300_000);

  it("--compare and --seeds on workers print and write what serial runs do", () => {
    const compare = [
      join(SCENARIOS_DIR, "prod-us-outage.yaml"),
      "--compare",
      join(SCENARIOS_DIR, "prod-us-hang.yaml"),
    ];
    const c1 = simulate(join(dir, "compare-1"), ...compare, "--jobs", "1");
    const c2 = simulate(join(dir, "compare-2"), ...compare, "--jobs", "2");
    expect(c1.code, c1.stderr).toBe(0);
    expect(c2.reports).toEqual(c1.reports);
    expect(c2.stdout).toBe(c1.stdout);
    expect(c1.stdout).toMatch(/Side by side/);

    const seeds = [join(SCENARIOS_DIR, "prod-us-outage.yaml"), "--seed", "4", "--seeds", "3"];
    const s1 = simulate(join(dir, "seeds-1"), ...seeds, "--jobs", "1");
    const s2 = simulate(join(dir, "seeds-2"), ...seeds, "--jobs", "2");
    expect(s1.code, s1.stderr).toBe(0);
    expect(s2.reports).toEqual(s1.reports);
    expect(s2.stdout).toBe(s1.stdout);
    const json = JSON.parse(s1.reports["prod-us-outage-seeds4-6.json"]!) as { runs: { seed: number }[] };
    expect(json.runs.map((r) => r.seed)).toEqual([4, 5, 6]);
  }, 300_000);

  it("returns outcomes in the order of the jobs, not the order they finish in", async () => {
    const path = resolve(SCENARIOS_DIR, "prod-us-outage.yaml");
    // Jobs of different lengths on two threads (this one and a worker): each outcome lands at its job's index.
    const jobs: RunJob[] = [
      { path, load: { scaleTime: 0.05, scaleRate: 0.4 }, scenarioIndex: 0, seed: 1 },
      { path, load: { scaleTime: 0.02, scaleRate: 0.1 }, scenarioIndex: 0, seed: 2 },
      { path, load: { scaleTime: 0.02, scaleRate: 0.1 }, scenarioIndex: 0, seed: 3 },
    ];
    const outcomes = await runJobs(jobs, 2);
    expect(outcomes.map((o) => o.result.scenario.seed)).toEqual([1, 2, 3]);
    expect(outcomes[0]!.result.scenario.durationS).toBeGreaterThan(outcomes[1]!.result.scenario.durationS);
  }, 300_000);

  it("workers start from the prebuilt bundle and say what each thread spent", async () => {
    expect(await workerEntry()).toMatch(/node_modules\/\.cache\/failover\/run-worker-node[\d.]+\.mjs$/);
    const path = resolve(SCENARIOS_DIR, "prod-us-outage.yaml");
    const job: RunJob = { path, load: { scaleTime: 0.02, scaleRate: 0.1 }, scenarioIndex: 0, seed: 1 };
    const costs: ThreadCost[] = [];
    await runJobs([job, { ...job, seed: 2 }, { ...job, seed: 3 }], 2, undefined, costs);
    expect(costs.map((c) => c.thread)).toEqual(["main", "worker 1"]);
    expect(costs.flatMap((c) => c.jobs.map((j) => j.index)).sort()).toEqual([0, 1, 2]);
    // Per-thread CPU (process.threadCpuUsage, Node 23.9+): a worker's loading is its own figure.
    expect(costs[1]!.loadCpuMs).toBeGreaterThan(0);
    for (const c of costs) for (const j of c.jobs) expect(j.cpuMs).toBeGreaterThan(0);
  }, 300_000);

  it("a bundle is stale as soon as one of its sources changes size or time", () => {
    const file = join(dir, "source.ts");
    writeFileSync(file, "export const a = 1;\n");
    const stamps = [stamp(file)];
    expect(unchanged(stamps)).toBe(true);
    utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    expect(unchanged(stamps)).toBe(false);
    expect(unchanged([{ ...stamps[0]!, path: join(dir, "gone.ts") }])).toBe(false);
  });

  it("a bundle built with other options is built again, not reused (bench:sim builds as the artifact is)", async () => {
    const file = join(dir, "named.ts");
    writeFileSync(file, "export function named() { return 1; }\n");
    const name = `test-options-${process.pid}`;
    const namesKept = readFileSync(await cachedBundle(file, name, { keepNames: true }), "utf8");
    expect(namesKept).toContain('__name(named, "named")');
    const plain = readFileSync(await cachedBundle(file, name), "utf8");
    expect(plain).not.toContain("__name(");
    rmSync(join("node_modules", ".cache", "failover", `${name}-node${process.versions.node}.mjs`));
    rmSync(join("node_modules", ".cache", "failover", `${name}-node${process.versions.node}.inputs.json`));
  });
});
