import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../../deploy/artifacts/build-router-artifacts.ts";

/**
 * A Bun binary for the tests that run the router on Bun (issue 18 item 4): $BUN, the npm `bun`
 * package's (the pinned devDependency), or `bun` on PATH; undefined where there is none,
 * and those tests are skipped with that reason in their name.
 */
export function findBun(): string | undefined {
  for (const candidate of [process.env.BUN, join(ROOT, "node_modules/bun/bin/bun.exe"), "bun"]) {
    if (!candidate) continue;
    const run = spawnSync(candidate, ["--version"], { encoding: "utf8", timeout: 15_000 });
    if (run.status === 0) return candidate;
  }
  return undefined;
}
