import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/**
 * The k6 binary: the project's pinned build in .tools/bin, else one on PATH, else built now
 * with scripts/install-k6.sh (go install of a pinned version; a few minutes the first time).
 */
export function findK6(root: string, log: (line: string) => void): string {
  const local = join(root, ".tools/bin/k6");
  if (existsSync(local)) return local;
  const onPath = spawnSync("sh", ["-c", "command -v k6"], { encoding: "utf8" });
  if (onPath.status === 0 && onPath.stdout.trim()) return onPath.stdout.trim();
  log("k6 not found: building it with scripts/install-k6.sh (go install, pinned version)...");
  try {
    execFileSync("bash", [join(root, "scripts/install-k6.sh")], { stdio: ["ignore", "inherit", "inherit"] });
  } catch {
    throw new Error("could not build k6; install Go or put k6 on PATH (see scripts/install-k6.sh)");
  }
  return local;
}
