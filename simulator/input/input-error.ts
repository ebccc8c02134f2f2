/** One thing wrong with a simulator input file (scenario, latency table): where, which field, why. */
export interface InputProblem {
  file: string;
  /** 1-based line in the file, when the field (or its nearest parent) could be located. */
  line?: number;
  /** Dotted path, e.g. "faults[0].durationS"; "" for the whole file. */
  field: string;
  reason: string;
}

/** A bad scenario or table; the CLI prints every problem (file:line: field: reason) and exits 2. */
export class SimInputError extends Error {
  override name = "SimInputError";

  constructor(readonly problems: InputProblem[]) {
    super(problems.map(formatInputProblem).join("\n"));
  }
}

export function formatInputProblem(p: InputProblem): string {
  const where = p.line === undefined ? p.file : `${p.file}:${p.line}`;
  return `${where}: ${p.field || "(root)"}: ${p.reason}`;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}
