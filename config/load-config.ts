import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, formatFieldPath, problemsFromZod } from "./config-error.ts";
import { crossFieldProblems, type EnvironmentConfig, type EnvName, environmentSchema } from "./schema.ts";

/** The checked-in environment files live beside the regional service. */
export const ENVIRONMENTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../regions/environments");

export function environmentFile(name: EnvName): string {
  return join(ENVIRONMENTS_DIR, `${name}.json`);
}

/** Reads and validates one environment file; throws ConfigError listing every problem. */
export function loadConfigFile(file: string): EnvironmentConfig {
  const shown = displayPath(file);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError([
      { file: shown, field: "", reason: `cannot read file (${(error as Error).message})` },
    ]);
  }
  return parseConfigText(text, shown);
}

/** Validates config text; `shown` names its source in every problem (a path, or path@revision). */
export function parseConfigText(text: string, shown: string): EnvironmentConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([
      { file: shown, field: "", reason: `not valid JSON: ${(error as Error).message}` },
    ]);
  }
  const parsed = environmentSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = problemsFromZod(shown, parsed.error);
  for (const p of crossFieldProblems(raw)) {
    const field = formatFieldPath(p.path);
    if (!problems.some((q) => q.field === field && q.reason === p.message))
      problems.push({ file: shown, field, reason: p.message });
  }
  throw new ConfigError(problems);
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

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith("..") ? file : rel;
}
