import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderComparisonHtml, renderRunHtml } from "../../simulator/report/html-report.ts";
import type { ScenarioResult } from "../../simulator/report/result.ts";
import { runScenario } from "../../simulator/run/run-scenario.ts";
import { loadScenarioFile } from "../../simulator/scenario/load-scenario.ts";
import { findChromium } from "../support/find-chromium.ts";

/**
 * The HTML report as a person sees it: headless Chromium (Debian's, installed by
 * scripts/install-tools.sh; set FAILOVER_CHROMIUM to use another) opens it, and the test asserts
 * no request failed, nothing was logged as an error, table cells hold their text on one line,
 * and the close-up, markers, dashed swatches and axis titles are there. Screenshots go to
 * reports/ (gitignored) for a person to look at.
 */
const OUT = resolve("reports");
const executablePath = findChromium();
let browser: Browser;
let run: ScenarioResult;
let other: ScenarioResult;

beforeAll(async () => {
  if (!executablePath) {
    throw new Error(
      "no Chromium: run scripts/install-tools.sh (apt-get install chromium) or set FAILOVER_CHROMIUM",
    );
  }
  browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu"] });
  const file = loadScenarioFile("simulator/scenarios/prod-us-outage.yaml", {
    scaleTime: 0.2,
    scaleRate: 0.3,
  });
  run = (await runScenario(file.scenarios[0]!, { seed: 1 })).result;
  other = { ...run, scenario: { ...run.scenario, label: "same, relabelled" } };
}, 180_000);
afterAll(async () => {
  await browser?.close();
});

async function open(name: string, html: string) {
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, `${name}.html`);
  writeFileSync(file, html);
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
  const response = await page.goto(`file://${file}`, { waitUntil: "load" });
  expect(response?.ok() ?? true).toBe(true);
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
  return { page, problems };
}

describe("the HTML report in headless Chromium", () => {
  it("a run: loads clean, with a close-up of the fault, markers, dashed swatches, axis titles and unwrapped tables", async () => {
    const { page, problems } = await open(
      "html-report-run",
      renderRunHtml(run, "node bin/failover.js simulate"),
    );
    expect(problems).toEqual([]);
    const text = await page.locator("body").innerText();
    expect(text).toMatch(/^PASS: prod-us-outage, seed 1/m);
    expect(text).toContain("Close-up: AWS us-east-1 outage");
    const svgText = await page.locator("svg text").allTextContents();
    expect(svgText.some((t) => /^detect \d+\.\d{3} s$/.test(t))).toBe(true);
    expect(svgText.some((t) => /^promote \d+\.\d{3} s$/.test(t))).toBe(true);
    expect(svgText.some((t) => /^restored \(RTO \d+\.\d{3} s\)$/.test(t))).toBe(true);
    expect(svgText).toContain("time since the run started (s)");
    expect(svgText).toContain("latency (ms, log scale)");
    // Each dashed p99 line has a dashed swatch in the legend.
    const dashedLines = await page.locator("svg path[stroke-dasharray]").count();
    const dashedSwatches = await page.locator("svg line[stroke-dasharray]").count();
    expect(dashedLines).toBeGreaterThan(0);
    expect(dashedSwatches).toBe(dashedLines);
    // No cell that holds a name or a number breaks over two lines ("prod-" / "us").
    const wrapped = await page.evaluate(() =>
      [...document.querySelectorAll("td:not(.wrap), th")]
        .filter((el) => {
          // The line boxes its text is laid out in: more than one distinct top is a wrap.
          const range = document.createRange();
          range.selectNodeContents(el);
          const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
          return tops.size > 1;
        })
        .map((el) => el.textContent),
    );
    expect(wrapped).toEqual([]);
    await page.close();
  }, 120_000);

  it("a comparison: a table and overlaid charts, one line per scenario, not a <pre> dump", async () => {
    const html = renderComparisonHtml(
      [run, other],
      "",
      "node bin/failover.js simulate a.yaml --compare b.yaml",
    );
    const { page, problems } = await open("html-report-comparison", html);
    expect(problems).toEqual([]);
    const first = page.locator("table").first();
    expect(await first.locator("th").allTextContents()).toEqual(["", "prod-us-outage", "same, relabelled"]);
    const overlaid = page.locator("svg", { hasText: "one line per scenario" });
    expect(await overlaid.count()).toBe(2);
    expect(await overlaid.first().locator("path title").allTextContents()).toEqual([
      "prod-us-outage",
      "same, relabelled",
    ]);
    await page.close();
  }, 60_000);
});
