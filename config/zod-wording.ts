import type { z } from "zod";

/**
 * A zod issue in the project's own words: what was expected against what was found
 * ("expected a number, got "lots""), not zod's ("Invalid input: expected number, received
 * string"). Used for environment configs (config/) and scenario files (simulator/input/).
 */
export function describeIssue(issue: z.core.$ZodIssue, found: unknown): string {
  if (issue.code === "invalid_type") {
    if (found === undefined) return `required (expected ${article(issue.expected)})`;
    return `expected ${article(issue.expected)}, got ${show(found)}`;
  }
  if (issue.code === "invalid_value") {
    return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, got ${show(found)}`;
  }
  // A bound with the schema's own message keeps it; zod's default ("Too small: ...") is reworded.
  if ((issue.code === "too_small" || issue.code === "too_big") && /^Too (small|big)/.test(issue.message)) {
    const bound = String(issue.code === "too_small" ? issue.minimum : issue.maximum);
    const inclusive = issue.inclusive !== false;
    const word =
      issue.code === "too_small" ? (inclusive ? "at least" : "above") : inclusive ? "at most" : "below";
    const what = issue.origin === "array" ? "items" : issue.origin === "string" ? "characters" : "";
    return `must be ${word} ${bound}${what ? ` ${what}` : ""}${typeof found === "number" ? `, got ${found}` : ""}`;
  }
  if (issue.code === "invalid_union" && found !== undefined && typeof found !== "object") {
    return `${issue.message} (got ${show(found)})`;
  }
  return `${issue.message}${found !== undefined && typeof found !== "object" ? ` (got ${show(found)})` : ""}`;
}

function article(expected: string): string {
  if (expected === "number" || expected === "string" || expected === "boolean") return `a ${expected}`;
  if (expected === "int") return "a whole number";
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
