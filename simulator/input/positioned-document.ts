import { isMap, LineCounter, type Node, parseDocument } from "yaml";
import { childOf } from "../../config/json-positions.ts";
import { type InputProblem, SimInputError } from "./input-error.ts";

/**
 * A YAML (or JSON: JSON is YAML) document that remembers where each value came from, so an error
 * can name the line: "prod-us-outage.yaml:14: faults[0].durationS: expected a number".
 */
export class PositionedDocument {
  private constructor(
    readonly file: string,
    readonly value: unknown,
    private readonly root: Node | null,
    private readonly lines: LineCounter,
  ) {}

  static parse(text: string, file: string): PositionedDocument {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) {
      const problems: InputProblem[] = doc.errors.map((error) => ({
        file,
        line: error.linePos?.[0]?.line,
        field: "",
        reason: `not valid YAML/JSON: ${error.message.split("\n")[0]}`,
      }));
      throw new SimInputError(problems);
    }
    return new PositionedDocument(file, doc.toJS({ maxAliasCount: 100 }), doc.contents as Node | null, lines);
  }

  /** The line of the value at `path`, or of its nearest ancestor that exists. */
  lineOf(path: readonly PropertyKey[]): number | undefined {
    let node: Node | null = this.root;
    let best = node;
    for (const part of path) {
      const next = childOf(node, part);
      if (!next) break;
      node = next;
      best = next;
    }
    return this.lineAt(best);
  }

  /** The line of the key `key` inside the map at `path` (unknown-field errors point at the key). */
  lineOfKey(path: readonly PropertyKey[], key: string): number | undefined {
    let node: Node | null = this.root;
    for (const part of path) {
      node = childOf(node, part);
      if (!node) return this.lineOf(path);
    }
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      const keyNode = pair?.key as Node | undefined;
      if (keyNode) return this.lineAt(keyNode);
    }
    return this.lineOf(path);
  }

  private lineAt(node: Node | null): number | undefined {
    const offset = node?.range?.[0];
    return offset === undefined ? undefined : this.lines.linePos(offset).line;
  }
}
