import { readFileSync } from "node:fs";
import { relative } from "node:path";

/**
 * One thing wrong with an input file (an environment config, a scenario, a latency table): where
 * it is, which field, and why. Every loader reports problems this way, so the CLI prints them
 * alike: `file: field: reason`, with `:line` (and `:column`) when the field was located.
 */
export interface InputProblem {
  file: string;
  /** Dotted path to the field, e.g. "router.healthCheck.timeoutMs" or "faults[0].durationS"; "" for the whole file. */
  field: string;
  reason: string;
  /** 1-based line (and column) in the file, when the field or its nearest parent could be located. */
  line?: number;
  column?: number;
}

/** `file: field: reason`, `file:line: field: reason` or `file:line:column: field: reason`. */
export function formatInputProblem(p: InputProblem): string {
  const at = p.line === undefined ? "" : p.column === undefined ? `:${p.line}` : `:${p.line}:${p.column}`;
  return `${p.file}${at}: ${p.field || "(root)"}: ${p.reason}`;
}

/** A field's path as problems show it: `regions[1].endpoint`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** A file's name as problems show it: relative to the working directory when it is inside it. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith("..") ? file : rel;
}

/**
 * An input file's text, and its name as problems show it; a file that cannot be read is one
 * problem (`cannot read <what> (reason)`), thrown as the loader's own error by `errorOf`.
 */
export function readInputFile(
  file: string,
  what: string,
  errorOf: (problems: InputProblem[]) => Error,
): { text: string; shown: string } {
  const shown = displayPath(file);
  try {
    return { text: readFileSync(file, "utf8"), shown };
  } catch (error) {
    throw errorOf([{ file: shown, field: "", reason: `cannot read ${what} (${(error as Error).message})` }]);
  }
}
