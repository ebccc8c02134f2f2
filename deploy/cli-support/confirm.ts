import { createInterface } from "node:readline/promises";
import { DeployError } from "../deploy-error.ts";

export interface ConfirmOptions {
  /** `--yes` was given. */
  yes: boolean;
  /** e.g. "Apply this plan to production?" */
  question: string;
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  output?: NodeJS.WritableStream;
}

/**
 * Asks before changing anything. With --yes: go. On a terminal: only the word "yes" goes (as
 * `tofu apply` asks). Without a terminal (CI, a pipe) nobody can answer, so the command fails
 * and says how to proceed rather than hanging or assuming yes.
 */
export async function confirm(options: ConfirmOptions): Promise<boolean> {
  if (options.yes) return true;
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  if (input.isTTY !== true) {
    throw new DeployError(
      "not applying: standard input is not a terminal, so nobody can confirm. Re-run with --yes to apply, " +
        "or with --dry-run to only see the plan. Nothing was changed.",
      "usage",
    );
  }
  const rl = createInterface({ input, output });
  try {
    const answer = await rl.question(`\n${options.question} Only "yes" is accepted: `);
    return answer.trim() === "yes";
  } finally {
    rl.close();
  }
}
