import type { z } from "zod";
import { describeIssue, valueAt } from "../../config/zod-wording.ts";
import type { InputProblem } from "./input-error.ts";
import type { Locator } from "./locator.ts";

/**
 * Turns zod issues into problems a person can act on: the file, the line, the field, and what
 * was expected against what was found ("expected a number, got "two minutes"").
 */
export function problemsFromZod(
  locator: Locator,
  error: z.ZodError,
  pathPrefix: readonly PropertyKey[] = [],
): InputProblem[] {
  const problems: InputProblem[] = [];
  for (const issue of error.issues) {
    const path = [...pathPrefix, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        problems.push({
          file: locator.file,
          line: locator.lineOfKey(path, key),
          field: locator.fieldName([...path, key]),
          reason: "unknown field (check its spelling)",
        });
      }
      continue;
    }
    problems.push({
      file: locator.file,
      line: locator.lineOf(path),
      field: locator.fieldName(path),
      reason: describeIssue(issue, valueAt(locator.value, path)),
    });
  }
  return problems;
}
