import type { z } from "zod";
import type { Position } from "./json-positions.ts";
import { describeIssue, valueAt } from "./zod-wording.ts";

/** One thing wrong with a config file: where it is and why it is wrong. */
export interface ConfigProblem {
  file: string;
  /** Dotted path to the field, e.g. "router.healthCheck.timeoutMs" or "regions[1].endpoint". */
  field: string;
  reason: string;
  /** 1-based line and column in the file, when the field could be located. */
  line?: number;
  column?: number;
}

/** Thrown for a bad config file or environment name; the CLI prints every problem and exits non-zero. */
export class ConfigError extends Error {
  override name = "ConfigError";

  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join("\n"));
  }
}

/** `file: field: reason`, or `file:line:column: field: reason` when the field was located. */
export function formatProblem(p: ConfigProblem): string {
  const where = p.line === undefined ? p.file : `${p.file}:${p.line}:${p.column ?? 1}`;
  return `${where}: ${p.field || "(root)"}: ${p.reason}`;
}

export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/**
 * zod's issues as problems in the project's wording (config/zod-wording.ts), each at its line
 * and column when `locate` can find it; an unknown field points at its key.
 */
export function problemsFromZod(
  file: string,
  error: z.ZodError,
  raw?: unknown,
  locate?: (path: readonly PropertyKey[], key?: string) => Position | undefined,
): ConfigProblem[] {
  const mistyped = new Set(
    error.issues.filter((i) => i.code === "invalid_type").map((i) => formatFieldPath(i.path)),
  );
  return error.issues.flatMap((issue) => {
    // A bound on a value of the wrong type adds nothing to "expected a list, got ...".
    const bound = issue.code === "too_small" || issue.code === "too_big";
    if (bound && mistyped.has(formatFieldPath(issue.path))) return [];
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        file,
        field: formatFieldPath([...issue.path, key]),
        reason: "unknown field (check its spelling)",
        ...locate?.(issue.path, key),
      }));
    }
    return [
      {
        file,
        field: formatFieldPath(issue.path),
        reason: describeIssue(issue, valueAt(raw, issue.path)),
        ...locate?.(issue.path),
      },
    ];
  });
}
