import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { displayPath, formatFieldPath, readInputFile } from "../core/input-problem.ts";
import { ConfigError, type ConfigProblem, problemsFromZod } from "./config-error.ts";
import { jsonPositions, positionOfOffset, syntaxErrorPosition } from "./json-positions.ts";
import { crossFieldProblems, type EnvironmentConfig, type EnvName, environmentSchema } from "./schema.ts";

/** The checked-in environment files live beside the regional service. */
export const ENVIRONMENTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../regions/environments");

export function environmentFile(name: EnvName): string {
  return join(ENVIRONMENTS_DIR, `${name}.json`);
}

/** Reads and validates one environment file; throws ConfigError listing every problem. */
export function loadConfigFile(file: string): EnvironmentConfig {
  const { text, shown } = readInputFile(file, "file", (problems) => new ConfigError(problems));
  return parseConfigText(text, shown);
}

/** Validates config text; `shown` names its source in every problem (a path, or path@revision). */
export function parseConfigText(text: string, shown: string): EnvironmentConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([notJson(text, shown, error as Error)]);
  }
  const parsed = environmentSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const locate = jsonPositions(text);
  const problems = problemsFromZod(shown, parsed.error, raw, locate);
  for (const p of crossFieldProblems(raw)) {
    const field = formatFieldPath(p.path);
    if (!problems.some((q) => q.field === field && q.reason === p.message))
      problems.push({ file: shown, field, reason: p.message, ...locate(p.path) });
  }
  throw new ConfigError(problems);
}

/** A JSON syntax error at its line and column: "expected ',' or '}' after a value". */
function notJson(text: string, shown: string, error: Error): ConfigProblem {
  const lineColumn = /\(line (\d+) column (\d+)\)/.exec(error.message);
  const offset = /position (\d+)/.exec(error.message);
  const where = lineColumn
    ? { line: Number(lineColumn[1]), column: Number(lineColumn[2]) }
    : offset
      ? positionOfOffset(text, Number(offset[1]))
      : syntaxErrorPosition(text);
  const what = error.message
    .replace(/ in JSON at position \d+.*$/s, "")
    .replace(/, .*is not valid JSON$/s, "")
    .replace(/^[A-Z]/, (c) => c.toLowerCase());
  return { file: shown, field: "", reason: `not valid JSON: ${what}`, ...where };
}

export function loadEnvironment(name: EnvName): EnvironmentConfig {
  const config = loadConfigFile(environmentFile(name));
  if (config.name !== name) {
    throw new ConfigError([
      {
        file: displayPath(environmentFile(name)),
        field: "name",
        reason: `file for "${name}" declares name "${config.name}"`,
      },
    ]);
  }
  return config;
}
