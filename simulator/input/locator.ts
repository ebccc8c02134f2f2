import { formatFieldPath } from "../../core/input-problem.ts";
import type { PositionedDocument } from "./positioned-document.ts";

/** Maps a path in validated data back to the file: its line and the name to show for it. */
export interface Locator {
  file: string;
  /** The data the paths refer to (to show what was found). */
  value: unknown;
  lineOf(path: readonly PropertyKey[]): number | undefined;
  lineOfKey(path: readonly PropertyKey[], key: string): number | undefined;
  fieldName(path: readonly PropertyKey[]): string;
}

export function documentLocator(doc: PositionedDocument, value: unknown = doc.value): Locator {
  return {
    file: doc.file,
    value,
    lineOf: (path) => doc.lineOf(path),
    lineOfKey: (path, key) => doc.lineOfKey(path, key),
    fieldName: (path) => formatFieldPath(path),
  };
}

/**
 * For a comparison variant: the data is the base scenario with the variant's fields merged in,
 * so a path is looked for in the variant first (variants[i].router...), then in the base.
 */
export function variantLocator(
  doc: PositionedDocument,
  index: number,
  variant: unknown,
  merged: unknown,
): Locator {
  const inVariant = (path: readonly PropertyKey[]) => hasPath(variant, path);
  const prefixed = (path: readonly PropertyKey[]) => ["variants", index, ...path];
  return {
    file: doc.file,
    value: merged,
    lineOf: (path) => (inVariant(path) ? doc.lineOf(prefixed(path)) : doc.lineOf(path)),
    lineOfKey: (path, key) =>
      inVariant([...path, key]) ? doc.lineOfKey(prefixed(path), key) : doc.lineOfKey(path, key),
    fieldName: (path) => formatFieldPath(inVariant(path) ? prefixed(path) : path),
  };
}

function hasPath(root: unknown, path: readonly PropertyKey[]): boolean {
  let value = root;
  for (const part of path) {
    if (value === null || typeof value !== "object") return false;
    if (!(part in (value as object))) return false;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return true;
}
