import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { ICruiseOptions, ICruiseResult } from "dependency-cruiser";
import { cruise } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import { afterAll, describe, expect, it } from "vitest";

// The layers (core <- config <- regions / router <- simulator / stack / deploy <- cli) as
// .dependency-cruiser.cjs states them; `npm run layers` prints the same check for a person.
const ROOT = resolve(import.meta.dirname, "..");
const LAYERS = ["core", "config", "regions", "router", "simulator", "stack", "deploy", "cli"];

async function violationsIn(baseDir: string, options: ICruiseOptions): Promise<string[]> {
  const { output } = await cruise(LAYERS, { ...options, baseDir });
  const result = output as ICruiseResult;
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
}

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** A throwaway tree with the layer folders and the files given (path -> source). */
function treeWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "failover-layers-"));
  scratch.push(dir);
  for (const layer of LAYERS) mkdirSync(join(dir, layer), { recursive: true });
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), source);
  }
  return dir;
}

describe("layers", () => {
  it("no folder imports a higher layer", { timeout: 60_000 }, async () => {
    const options = await extractDepcruiseOptions(join(ROOT, ".dependency-cruiser.cjs"));
    expect(await violationsIn(ROOT, options)).toEqual([]);
  });

  it("the rules catch a backwards import in each direction the issue names", async () => {
    const options = await extractDepcruiseOptions(join(ROOT, ".dependency-cruiser.cjs"));
    const { tsConfig: _tsConfig, ...withoutTsConfig } = options;
    const dir = treeWith({
      "core/clock.ts": 'import { run } from "../cli/main.ts";\nexport const c = run;\n',
      "regions/replicator.ts": 'import { t } from "../router/transport.ts";\nexport const r = t;\n',
      "router/transport.ts":
        'import type { Item } from "../regions/item.ts";\nexport const t = 1 as unknown as Item;\n',
      "regions/item.ts": "export type Item = { id: string };\n",
      "deploy/to-cli-error.ts": 'import { run } from "../cli/main.ts";\nexport const d = run;\n',
      "config/schema.ts": 'import { s } from "../simulator/sim.ts";\nexport const x = s;\n',
      "simulator/sim.ts": "export const s = 1;\n",
      "cli/main.ts": "export const run = 1;\n",
    });
    expect((await violationsIn(dir, withoutTsConfig)).sort()).toEqual([
      "config-imports-upwards: config/schema.ts -> simulator/sim.ts",
      "core-imports-upwards: core/clock.ts -> cli/main.ts",
      "deploy-imports-upwards: deploy/to-cli-error.ts -> cli/main.ts",
      "regions-imports-upwards: regions/replicator.ts -> router/transport.ts",
    ]);
  });
});
