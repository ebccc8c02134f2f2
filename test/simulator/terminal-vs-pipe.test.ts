import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { simulate } from "../../simulator/run/simulate-command.ts";

const dir = mkdtempSync(join(tmpdir(), "sim-tty-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs `failover simulate` in this process with stderr posing as a terminal (so the progress
 * bar draws) or as a pipe, and returns what it wrote to stderr.
 */
async function run(terminal: boolean, out: string, scenario: string): Promise<string> {
  const stderr = process.stderr as NodeJS.WriteStream & { isTTY?: boolean };
  const stdout = process.stdout as NodeJS.WriteStream;
  const wasTTY = stderr.isTTY;
  const writeErr = stderr.write;
  const writeOut = stdout.write;
  let written = "";
  Object.defineProperty(stderr, "isTTY", { value: terminal, configurable: true });
  stderr.write = ((chunk: string | Uint8Array) => {
    written += String(chunk);
    return true;
  }) as typeof stderr.write;
  stdout.write = (() => true) as typeof stdout.write;
  try {
    const outcome = await simulate(scenario, { out, html: false, seed: 5 });
    expect(outcome.exitCode).toBe(0);
  } finally {
    Object.defineProperty(stderr, "isTTY", { value: wasTTY, configurable: true });
    stderr.write = writeErr;
    stdout.write = writeOut;
  }
  return written;
}

describe("a terminal run and a piped run of one seed", () => {
  it("write byte-identical JSON: the progress bar sets no timer the run would count", async () => {
    const scenario = join(dir, "short.yaml");
    writeFileSync(
      scenario,
      "name: short\ndurationS: 240\nsettleS: 5\nclients:\n  - { location: virginia, ratePerS: 60 }\n" +
        "faults:\n  - { kind: region-down, region: prod-us, startS: 10, durationS: 15 }\n",
    );
    const drawn = await run(true, join(dir, "tty"), scenario);
    await run(false, join(dir, "pipe"), scenario);
    expect(drawn).toMatch(/ETA/); // the bar really drew
    const tty = readFileSync(join(dir, "tty", "short-seed5.json"), "utf8");
    const pipe = readFileSync(join(dir, "pipe", "short-seed5.json"), "utf8");
    expect(JSON.parse(tty).warnings).toEqual([]);
    expect(tty).toBe(pipe);
  }, 120_000);
});
