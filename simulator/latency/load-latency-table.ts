import { readFileSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { type InputProblem, SimInputError } from "../input/input-error.ts";
import { documentLocator } from "../input/locator.ts";
import { PositionedDocument } from "../input/positioned-document.ts";
import { problemsFromZod } from "../input/zod-problems.ts";
import { LatencyTable } from "./latency-table.ts";

const TABLES_DIR = dirname(fileURLToPath(import.meta.url));

/** The tables shipped with the simulator, by name. */
export const BUILT_IN_TABLES = ["inter-region", "table11"] as const;

const location = z.string().regex(/^[a-z][a-z0-9-]*$/, "must be a lower-case location id, e.g. virginia");
const rttMs = z.number().positive().max(60_000);
const source = z
  .string()
  .min(3, "say where the number comes from (a measurement, a paper, or 'estimated: how')");

const pairSchema = z
  .object({ a: location, b: location, rttMs, source, estimated: z.boolean().optional() })
  .strict();

const userTableSchema = z
  .object({
    name: z.string().optional(),
    description: z.string().optional(),
    estimation: z.string().optional(),
    sameLocation: z.object({ rttMs, source }).strict().optional(),
    /** Notes on each location; `awsRegion` places it in an AWS region (its failure domain). */
    locations: z
      .record(
        z.string(),
        z.looseObject({
          awsRegion: z
            .string()
            .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/)
            .optional(),
        }),
      )
      .optional(),
    pairs: z.array(pairSchema).min(1),
  })
  .strict();

const table11Schema = z.object({
  rows: z.array(
    z.object({ id: z.string(), operation: z.string(), ns: z.number().positive(), source: z.string() }),
  ),
});

/** Table 11's (docs/latency-table-11.md) datacenter round trip, the default between two endpoints in one location. */
export const DATACENTER_RTT_SOURCE =
  "TCP packet round trip within the same datacenter, 500,000 ns (Table 11, docs/latency-table-11.md)";

/**
 * Loads a latency table: a built-in name ("inter-region", "table11") or a path to a JSON or CSV
 * file. `relativeTo` is the directory a relative path is resolved from (the scenario's).
 */
export function loadLatencyTable(nameOrPath: string, relativeTo = process.cwd()): LatencyTable {
  if (nameOrPath === "table11") return table11AsRoundTrips();
  const file =
    nameOrPath === "inter-region" ? join(TABLES_DIR, "inter-region.json") : resolve(relativeTo, nameOrPath);
  const shown = nameOrPath === "inter-region" ? "inter-region.json" : nameOrPath;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const known = BUILT_IN_TABLES.join(", ");
    throw new SimInputError([
      {
        file: shown,
        field: "",
        reason: `cannot read latency table (${(error as Error).message}); built-in tables: ${known}`,
      },
    ]);
  }
  const name = nameOrPath === "inter-region" ? "inter-region" : basename(file, extname(file));
  return extname(file).toLowerCase() === ".csv"
    ? parseCsvTable(text, shown, name)
    : parseJsonTable(text, shown, name);
}

/** The book's Table 11 rows (docs/latency-table-11.md) that are round trips between places, as a table of its own. */
export function table11AsRoundTrips(): LatencyTable {
  const rows = readTable11Rows();
  const row = (id: string) => {
    const found = rows.find((r) => r.id === id);
    if (!found) throw new Error(`table11.json has no row ${id}`);
    return {
      rttMs: found.ns / 1e6,
      source: `${found.operation}, ${found.ns.toLocaleString("en-US")} ns (${found.source})`,
    };
  };
  const dc = row("datacenter-rtt");
  return new LatencyTable("table11", { ...dc, estimated: false }, [
    { a: "california", b: "new-york", ...row("california-new-york-rtt"), estimated: false },
    { a: "california", b: "sydney", ...row("california-australia-rtt"), estimated: false },
  ]);
}

export function readTable11Rows(): z.infer<typeof table11Schema>["rows"] {
  return table11Schema.parse(JSON.parse(readFileSync(join(TABLES_DIR, "table11.json"), "utf8"))).rows;
}

export function parseJsonTable(text: string, file: string, name: string): LatencyTable {
  const doc = PositionedDocument.parse(text, file);
  const parsed = userTableSchema.safeParse(doc.value);
  if (!parsed.success) throw new SimInputError(problemsFromZod(documentLocator(doc), parsed.error));
  const same = parsed.data.sameLocation ?? { rttMs: 0.5, source: DATACENTER_RTT_SOURCE };
  const problems = duplicatePairs(parsed.data.pairs).map((i) => ({
    file,
    line: doc.lineOf(["pairs", i]),
    field: `pairs[${i}]`,
    reason: "this pair of locations appears twice",
  }));
  if (problems.length > 0) throw new SimInputError(problems);
  return new LatencyTable(
    parsed.data.name ?? name,
    { ...same, estimated: false },
    parsed.data.pairs.map((p) => ({
      ...p,
      estimated: p.estimated ?? p.source.toLowerCase().startsWith("estimated"),
    })),
    awsRegionsOf(parsed.data.locations ?? {}),
  );
}

function awsRegionsOf(locations: Record<string, { awsRegion?: string | undefined }>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, note] of Object.entries(locations)) if (note.awsRegion) out[name] = note.awsRegion;
  return out;
}

/** CSV: a header `a,b,rttMs,source`, then one pair per line; `*,*` sets the same-location default. */
export function parseCsvTable(text: string, file: string, name: string): LatencyTable {
  const lines = text.split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? "").map((h) => h.trim());
  const expected = ["a", "b", "rttMs", "source"];
  if (header.join(",") !== expected.join(",")) {
    throw new SimInputError([
      {
        file,
        line: 1,
        field: "header",
        reason: `expected the header "${expected.join(",")}", got "${lines[0] ?? ""}"`,
      },
    ]);
  }
  const problems: InputProblem[] = [];
  const pairs: { a: string; b: string; rttMs: number; source: string; estimated: boolean }[] = [];
  let same = { rttMs: 0.5, source: DATACENTER_RTT_SOURCE };
  const seen = new Map<string, number>();
  lines.slice(1).forEach((raw, index) => {
    const line = index + 2;
    if (raw.trim() === "" || raw.trimStart().startsWith("#")) return;
    const cells = splitCsvLine(raw);
    if (cells.length !== 4) {
      problems.push({
        file,
        line,
        field: "",
        reason: `expected 4 columns (a,b,rttMs,source), got ${cells.length}`,
      });
      return;
    }
    const [a, b, rtt, src] = cells.map((c) => c.trim()) as [string, string, string, string];
    const value = Number(rtt);
    if (rtt === "" || !Number.isFinite(value) || value <= 0 || value > 60_000) {
      problems.push({
        file,
        line,
        field: "rttMs",
        reason: `expected a number of milliseconds in (0, 60000], got "${rtt}"`,
      });
      return;
    }
    if (src.length < 3) {
      problems.push({ file, line, field: "source", reason: "say where the number comes from" });
      return;
    }
    if (a === "*" && b === "*") {
      same = { rttMs: value, source: src };
      return;
    }
    for (const [field, loc] of [["a", a] as const, ["b", b] as const]) {
      if (!/^[a-z][a-z0-9-]*$/.test(loc))
        problems.push({ file, line, field, reason: `"${loc}" is not a location id` });
    }
    const key = a <= b ? `${a}|${b}` : `${b}|${a}`;
    const earlier = seen.get(key);
    if (earlier !== undefined)
      problems.push({ file, line, field: "", reason: `${a}-${b} already given on line ${earlier}` });
    seen.set(key, line);
    pairs.push({ a, b, rttMs: value, source: src, estimated: src.toLowerCase().startsWith("estimated") });
  });
  if (problems.length === 0 && pairs.length === 0)
    problems.push({ file, field: "", reason: "the table has no pairs" });
  if (problems.length > 0) throw new SimInputError(problems);
  return new LatencyTable(name, { ...same, estimated: false }, pairs);
}

/** Splits one CSV line; double quotes protect commas ("a, b"), "" is a literal quote. */
function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      cells.push(cell);
      cell = "";
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

function duplicatePairs(pairs: { a: string; b: string }[]): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  pairs.forEach((p, i) => {
    const key = p.a <= p.b ? `${p.a}|${p.b}` : `${p.b}|${p.a}`;
    if (seen.has(key)) out.push(i);
    seen.add(key);
  });
  return out;
}
