import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

/** Writes a run's JSON and HTML reports under `dir`; returns their paths as shown to the user. */
export function writeReports(
  dir: string,
  baseName: string,
  json: unknown,
  html: string | undefined,
): string[] {
  mkdirSync(dir, { recursive: true });
  const jsonPath = join(dir, `${baseName}.json`);
  writeFileSync(jsonPath, `${JSON.stringify(json, null, 2)}\n`);
  const written = [jsonPath];
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
