import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { headline } from "../../simulator/report/summary.ts";
import { runScenario } from "../../simulator/run/run-scenario.ts";
import { loadScenarioFile } from "../../simulator/scenario/load-scenario.ts";

// The README opens with what `npm start` prints (prod-us-outage.yaml, seed 1). Every figure a
// reader sees there first must be what that command computes today, so the block is rebuilt
// here from a real run of the same scenario and seed and compared line for line.
describe("the README's first screen", () => {
  it("is the verdict and headline figures npm start prints, word for word", async () => {
    const readme = readFileSync("README.md", "utf8");
    const start = readme.indexOf("```text\nPASS: prod-us-outage, seed 1.");
    expect(start, "README.md opens with npm start's summary in a ```text block").toBeGreaterThan(-1);
    const block = readme.slice(start + "```text\n".length, readme.indexOf("```", start + 7)).trimEnd();

    const scenario = loadScenarioFile("simulator/scenarios/prod-us-outage.yaml").scenarios[0]!;
    const { result } = await runScenario(scenario, { seed: 1 });
    expect(block).toBe(headline(result).join("\n"));
  }, 120_000);
});
