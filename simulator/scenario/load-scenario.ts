import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readInputFile } from "../../core/input-problem.ts";
import { SimInputError } from "../input/input-error.ts";
import { documentLocator, variantLocator } from "../input/locator.ts";
import { PositionedDocument } from "../input/positioned-document.ts";
import { deepMerge, isPlainObject } from "./deep-merge.ts";
import { resolveScenario } from "./resolve-scenario.ts";
import type { LoadedScenarioFile, LoadOptions } from "./resolved-scenario.ts";
import { scaleScenario } from "./scale.ts";
import { sweepSchema } from "./scenario-schema.ts";

/** simulator/scenarios/, where the shipped scenarios live. */
export const SCENARIOS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../scenarios");
export const DEFAULT_SCENARIO = resolve(SCENARIOS_DIR, "prod-us-outage.yaml");

/**
 * Reads a scenario file (YAML), validates it and resolves it: one scenario, a comparison (its
 * `variants` each merged onto the base), or a sweep (its base, plus the grid to run).
 */
export function loadScenarioFile(path: string, options: LoadOptions = {}): LoadedScenarioFile {
  const file = resolve(path);
  const { text, shown } = readInputFile(file, "scenario", (problems) => new SimInputError(problems));
  return parseScenarioText(text, shown, dirname(file), options);
}

export function parseScenarioText(
  text: string,
  shown: string,
  baseDir: string,
  options: LoadOptions = {},
): LoadedScenarioFile {
  const doc = PositionedDocument.parse(text, shown);
  if (!isPlainObject(doc.value)) {
    throw new SimInputError([
      {
        file: shown,
        line: 1,
        field: "",
        reason: "a scenario is a YAML mapping (name:, durationS:, clients: ...)",
      },
    ]);
  }
  const raw = scaleScenario(doc.value, options.scaleTime, options.scaleRate) as Record<string, unknown>;
  const { variants, sweep, ...base } = raw;
  const name = typeof raw.name === "string" ? raw.name : shown;
  const description = typeof raw.description === "string" ? raw.description : "";
  if (variants === undefined) {
    const scenario = resolveScenario(raw, documentLocator(doc, raw), baseDir);
    const parsedSweep = sweep === undefined ? undefined : sweepSchema.parse(sweep);
    return {
      file: shown,
      kind: parsedSweep ? "sweep" : "single",
      name,
      description,
      scenarios: [scenario],
      sweep: parsedSweep,
    };
  }
  if (sweep !== undefined) {
    throw new SimInputError([
      {
        file: shown,
        line: doc.lineOf(["sweep"]),
        field: "sweep",
        reason: "a scenario has variants or a sweep, not both",
      },
    ]);
  }
  // Validate the whole file's shape first (variants is a list of labelled mappings).
  resolveScenario(raw, documentLocator(doc, raw), baseDir);
  const list = variants as { label: string }[];
  const scenarios = list.map((variant, index) => {
    const { label, ...fields } = variant;
    const merged = deepMerge(base, fields);
    return resolveScenario(merged, variantLocator(doc, index, fields, merged), baseDir, label);
  });
  return { file: shown, kind: "comparison", name, description, scenarios, sweep: undefined };
}
