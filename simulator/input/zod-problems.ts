import type { z } from "zod";
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

function describeIssue(issue: z.core.$ZodIssue, found: unknown): string {
  if (issue.code === "invalid_type") {
    if (found === undefined) return `required (expected ${article(issue.expected)})`;
    return `expected ${article(issue.expected)}, got ${show(found)}`;
  }
  if (issue.code === "invalid_value") {
    return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, got ${show(found)}`;
  }
  if (issue.code === "invalid_union" && found !== undefined && typeof found !== "object") {
    return `${issue.message} (got ${show(found)})`;
  }
  return `${issue.message}${found !== undefined && typeof found !== "object" ? ` (got ${show(found)})` : ""}`;
}

function article(expected: string): string {
  if (expected === "number" || expected === "string" || expected === "boolean") return `a ${expected}`;
  if (expected === "object") return "a mapping";
  if (expected === "array") return "a list";
  return expected;
}

function show(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return JSON.stringify(value);
}

export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const part of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}
