import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The project brings its own Node 24 LTS (the `node` package in package.json), so `npm start`,
 * `npm test` and `npx failover` run on it even where the machine's `node` is older (issue 14 (docs/issues.md)).
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const MIN_MAJOR = 24;

function major(version: string): number {
  return Number(version.replace(/^v/, "").split(".")[0]);
}

describe("the project's Node runtime", () => {
  it(`the test suite itself runs on Node ${MIN_MAJOR} or later`, () => {
    expect(major(process.version)).toBeGreaterThanOrEqual(MIN_MAJOR);
  });

  it("npm scripts and npx resolve `node` to node_modules/.bin/node, Node 24", () => {
    // PATH without node_modules/.bin, as a developer's shell has it: npm must add it itself.
    const PATH = (process.env.PATH ?? "")
      .split(":")
      .filter((p) => !p.includes("node_modules"))
      .join(":");
    const out = spawnSync(
      "npm",
      ["exec", "--no", "--", "node", "-p", "process.version + ' ' + process.execPath"],
      {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, PATH },
        timeout: 60_000,
      },
    );
    expect(out.status, out.stderr).toBe(0);
    const [version = "", execPath = ""] = out.stdout.trim().split(" ");
    expect(major(version)).toBeGreaterThanOrEqual(MIN_MAJOR);
    expect(execPath.startsWith(join(ROOT, "node_modules"))).toBe(true);
  }, 60_000);
});
