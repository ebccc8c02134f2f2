import { formatInputProblem, type InputProblem } from "../../core/input-problem.ts";

/** A bad scenario or table; the CLI prints every problem (file:line: field: reason) and exits 2. */
export class SimInputError extends Error {
  override name = "SimInputError";

  constructor(readonly problems: InputProblem[]) {
    super(problems.map(formatInputProblem).join("\n"));
  }
}

// The simulator's loaders report with the problem type every input file shares (core/input-problem.ts).
export { formatInputProblem, type InputProblem };
