import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { explainText, GLOSSARY } from "../../simulator/report/glossary.ts";
import { RunRecorder } from "../../simulator/report/run-recorder.ts";
import { ratioWords } from "../../simulator/report/summary.ts";
import { lostWritesFile, writeReports } from "../../simulator/run/outputs.ts";

const dir = mkdtempSync(join(tmpdir(), "sim-figures-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the glossary", () => {
  it("is in the README word for word, one definition per term, and --explain prints it", () => {
    const readme = readFileSync("README.md", "utf8");
    for (const { term, definition } of GLOSSARY) {
      expect(readme).toContain(`**${term}**: ${definition}`);
      expect(readme.split(`**${term}**: `)).toHaveLength(2);
    }
    const text = explainText();
    for (const { term } of GLOSSARY) expect(text).toMatch(new RegExp(`^${term}$`, "m"));
  });
});

describe("percentiles", () => {
  it("never show a percentile above the largest value recorded", () => {
    const recorder = new RunRecorder({
      locations: ["virginia"],
      cells: 1,
      phases: [{ name: "all", fromMs: 0, toMs: 10_000 }],
      totalMs: 10_000,
      chartBucketMs: 1000,
    });
    // HDR's bucket for 2,656.x ms ends above it: without the clamp p99.9 read 2,657 over a max of 2,656.
    for (let i = 0; i < 999; i++) recorder.record(0, 0, i, 17, true, "200");
    recorder.record(0, 0, 999, 2656.3, true, "200");
    const s = recorder.latency(0, 0)!;
    expect(s.maxMs).toBeCloseTo(2656.3, 0);
    for (const p of [s.p50Ms, s.p90Ms, s.p99Ms, s.p999Ms]) expect(p).toBeLessThanOrEqual(s.maxMs);
  });
});

describe("the lost-write list", () => {
  it("is written whole as NDJSON beside the JSON, which names it", () => {
    const all = Array.from({ length: 3169 }, (_, i) => ({ key: `w${i}`, explained: true }));
    const file = lostWritesFile("dns-vs-router-seed1");
    const json = { lostWrites: { lost: all.length, list: all.slice(0, 200), allIn: file } };
    const written = writeReports(dir, "dns-vs-router-seed1", json, undefined, new Map([[file, all]]));
    expect(written.map((p) => p.split("/").at(-1))).toEqual([
      "dns-vs-router-seed1.json",
      "dns-vs-router-seed1.lost-writes.ndjson",
    ]);
    const lines = readFileSync(join(dir, file), "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(3169);
    expect(JSON.parse(lines[3168]!)).toEqual({ key: "w3168", explained: true });
    expect(JSON.parse(readFileSync(join(dir, "dns-vs-router-seed1.json"), "utf8")).lostWrites.allIn).toBe(
      file,
    );
  });
});

describe("ratios", () => {
  it.each([
    [81.2, "81x slower"],
    [0.0123, "81x faster"],
    [2.5, "2.5x slower"],
    [1.02, "about the same"],
    [0.4, "2.5x faster"],
  ])("%d reads as %s", (ratio, words) => expect(ratioWords(ratio)).toBe(words));
});
