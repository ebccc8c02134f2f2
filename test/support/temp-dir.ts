import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const made: string[] = [];

/** Removes every folder tempDir made, when the test process exits (passed, failed or interrupted). */
function removeAll(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * A fresh folder under the OS's temp dir (`<prefix>XXXXXX`), removed when the test process exits,
 * so a test run leaves no `failover-config-*`, `failover-deploy-test-*` or `sim-*` folders behind.
 */
export function tempDir(prefix: string): string {
  if (made.length === 0) process.once("exit", removeAll);
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
