import { isMap, isSeq, LineCounter, type Node, parseDocument } from "yaml";

/** Where a value is in a config file: 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

/**
 * Finds the line and column of each field of a JSON config file, so a problem reads
 * `production.json:12:7: router.healthCheck.timeoutMs: expected a number, got "1s"`.
 * JSON is YAML, so the yaml package's parser (already used for scenarios) gives positions.
 */
export function jsonPositions(
  text: string,
): (path: readonly PropertyKey[], key?: string) => Position | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const at = (node: Node | null | undefined): Position | undefined => {
    const offset = node?.range?.[0];
    if (offset === undefined) return undefined;
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  return (path, key) => {
    let node = doc.contents as Node | null;
    let best = node;
    for (const part of path) {
      const next = childOf(node, part);
      if (!next) return at(best);
      node = next;
      best = next;
    }
    if (key !== undefined && isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      if (pair?.key) return at(pair.key as Node);
    }
    return at(best);
  };
}

/** The node at `part` (a map key or a list index) under `node`; null if there is none. */
export function childOf(node: Node | null, part: PropertyKey): Node | null {
  if (isMap(node)) {
    const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === part);
    return (pair?.value as Node | undefined) ?? null;
  }
  if (isSeq(node) && typeof part === "number") return (node.items[part] as Node | undefined) ?? null;
  return null;
}

/** Line and column of a character offset (JSON.parse reports "at position N"). */
export function positionOfOffset(text: string, offset: number): Position {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

/** Where the yaml parser (which reads JSON) finds the first syntax error, when JSON.parse does not say. */
export function syntaxErrorPosition(text: string): Position | Record<string, never> {
  const doc = parseDocument(text, { prettyErrors: true });
  const pos = doc.errors[0]?.linePos?.[0];
  return pos ? { line: pos.line, column: pos.col } : {};
}
