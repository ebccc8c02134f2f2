import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * The Chromium the HTML report's browser check drives: $FAILOVER_CHROMIUM, else the first of
 * Debian's `chromium` (scripts/install-tools.sh installs it), `chromium-browser` or
 * `google-chrome` on PATH. undefined when there is none.
 */
export function findChromium(): string | undefined {
  const fromEnv = process.env.FAILOVER_CHROMIUM;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    try {
      const path = execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim();
      if (path) return path;
    } catch {
      // not on PATH
    }
  }
  return undefined;
}
