import type { z } from "zod";
import { formatFieldPath, formatInputProblem, type InputProblem } from "../core/input-problem.ts";
import type { Position } from "./json-positions.ts";
import { describeIssue, valueAt } from "./zod-wording.ts";

/** One thing wrong with a config file: where it is and why it is wrong (`file:line:column: field: reason`). */
export type ConfigProblem = InputProblem;

/** Thrown for a bad config file or environment name; the CLI prints every problem and exits non-zero. */
export class ConfigError extends Error {
  override name = "ConfigError";

  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map(formatInputProblem).join("\n"));
  }
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
