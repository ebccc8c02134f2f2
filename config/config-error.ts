import type { z } from "zod";

/** One thing wrong with a config file: where it is and why it is wrong. */
export interface ConfigProblem {
  file: string;
  /** Dotted path to the field, e.g. "router.healthCheck.timeoutMs" or "regions[1].endpoint". */
  field: string;
  reason: string;
}

/** Thrown for a bad config file or environment name; the CLI prints every problem and exits non-zero. */
export class ConfigError extends Error {
  override name = "ConfigError";

  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join("\n"));
  }
}

export function formatProblem(p: ConfigProblem): string {
  return `${p.file}: ${p.field || "(root)"}: ${p.reason}`;
}

export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

export function problemsFromZod(file: string, error: z.ZodError): ConfigProblem[] {
  return error.issues.map((issue) => ({ file, field: formatFieldPath(issue.path), reason: issue.message }));
}
