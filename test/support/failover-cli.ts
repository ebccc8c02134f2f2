import { spawnSync } from "node:child_process";

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `failover ...args` as a user does: bin/failover.js in a child Node (the project ships no
 * CLI bundle), waiting for it to exit or for `timeoutMs`. `env` replaces or adds variables.
 */
export function runFailoverCli(
  args: readonly string[],
  options: { timeoutMs: number; env?: NodeJS.ProcessEnv },
): CliRun {
  const out = spawnSync(process.execPath, ["bin/failover.js", ...args], {
    encoding: "utf8",
    timeout: options.timeoutMs,
    env: { ...process.env, ...options.env },
  });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

/**
 * A command's arguments written as an operator types them:
 * argv`deploy --env production --artifact ${file}` (words split on spaces; an interpolated value
 * stays one argument, spaces and all).
 */
export function argv(strings: TemplateStringsArray, ...values: string[]): string[] {
  const out: string[] = [];
  strings.forEach((text, i) => {
    out.push(...text.split(" ").filter((word) => word !== ""));
    if (i < values.length) out.push(values[i]!);
  });
  return out;
}
