import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

/** The NDJSON file beside a run's JSON report that lists every lost write, one per line. */
export function lostWritesFile(baseName: string, label?: string): string {
  return `${baseName}${label ? `-${safeName(label)}` : ""}.lost-writes.ndjson`;
}

/**
 * Writes a run's JSON and HTML reports under `dir`, and each NDJSON list given in `lists`
 * (file name -> records; the JSON holds only the first ones); returns the paths as shown.
 */
export function writeReports(
  dir: string,
  baseName: string,
  json: unknown,
  html: string | undefined,
  lists: ReadonlyMap<string, readonly unknown[]> = new Map(),
): string[] {
  mkdirSync(dir, { recursive: true });
  const jsonPath = join(dir, `${baseName}.json`);
  writeFileSync(jsonPath, `${JSON.stringify(json, null, 2)}\n`);
  const written = [jsonPath];
  for (const [file, records] of lists) {
    const path = join(dir, file);
    writeFileSync(path, records.map((r) => `${JSON.stringify(r)}\n`).join(""));
    written.push(path);
  }
  if (html !== undefined) {
    const htmlPath = join(dir, `${baseName}.html`);
    writeFileSync(htmlPath, html);
    written.push(htmlPath);
  }
  return written.map((p) => {
    const rel = relative(process.cwd(), p);
    return rel.startsWith("..") ? p : rel;
  });
}

/** A file name from a scenario name: lower-case letters, digits and dashes. */
export function safeName(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, "-")
      .replace(/^-+|-+$/g, "") || "scenario"
  );
}
