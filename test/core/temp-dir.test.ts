import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("tempDir (test/support/temp-dir.ts)", () => {
  it("removes the folders it made when the process exits", () => {
    const script =
      'import { tempDir } from "./test/support/temp-dir.ts";\n' +
      'import { writeFileSync } from "node:fs";\n' +
      'const dir = tempDir("failover-tempdir-test-");\n' +
      'writeFileSync(dir + "/file", "x");\n' +
      "console.log(dir);\n";
    const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
    });
    expect(run.status).toBe(0);
    const dir = run.stdout.trim();
    expect(dir).toMatch(/failover-tempdir-test-/);
    expect(existsSync(dir)).toBe(false);
  });
});
