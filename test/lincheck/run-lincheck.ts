import { execFile } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { History } from "./history.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const LINCHECK_BIN = join(ROOT, ".tools/bin/lincheck");

export interface LincheckResult {
  /** 0 linearizable, 1 not, 2 bad input or undecided. */
  exitCode: number;
  output: string;
  historyPath: string;
  htmlPath: string | undefined;
}

/** Builds tools/lincheck into .tools/bin if it is missing or stale (scripts/install-lincheck.sh). */
export function ensureLincheck(): Promise<void> {
  return new Promise((done, fail) => {
    execFile("bash", [join(ROOT, "scripts/install-lincheck.sh")], (error, _stdout, stderr) =>
      error ? fail(new Error(`install-lincheck failed: ${stderr || error.message}`)) : done(),
    );
  });
}

/**
 * Writes the history to reports/lincheck/NAME.json and checks it with Porcupine (tools/lincheck);
 * on a violation the visualization goes to reports/lincheck/NAME.html.
 */
export async function checkHistory(history: History, name: string): Promise<LincheckResult> {
  if (!existsSync(LINCHECK_BIN)) await ensureLincheck();
  const dir = join(ROOT, "reports/lincheck");
  mkdirSync(dir, { recursive: true });
  const historyPath = join(dir, `${name}.json`);
  const htmlPath = join(dir, `${name}.html`);
  writeFileSync(historyPath, JSON.stringify(history));
  return new Promise((done) => {
    execFile(
      LINCHECK_BIN,
      ["--html", htmlPath, "--timeout", "90s", historyPath],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const exitCode = error ? (typeof error.code === "number" ? error.code : 2) : 0;
        done({
          exitCode,
          output: `${stdout}${stderr}`.trim(),
          historyPath,
          htmlPath: exitCode === 1 ? htmlPath : undefined,
        });
      },
    );
  });
}
