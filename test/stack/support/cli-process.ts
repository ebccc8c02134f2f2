import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const BIN = join(ROOT, "bin/failover.js");

export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with stdout once it matches `pattern`; rejects if the process exits first or time runs out. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  exited: Promise<number | string>;
  kill(): void;
}

/**
 * How long a `failover` process may take to start and answer before a test gives up on it: a
 * bound on a hang, not a speed (one took 17 s to start at a load average of 19 on the shared
 * 2-core machine; test/support/loaded-machine.ts).
 */
export const CLI_BOUND_MS = 90_000;

/** Runs `failover <args>` as a real process, as a user would from a shell. */
export function runFailover(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, FAILOVER_DEBUG: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<number | string>((done) => {
    child.once("exit", (code, signal) => done(code ?? signal ?? -1));
  });
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    kill,
    async waitForOutput(pattern, timeoutMs = CLI_BOUND_MS) {
      const deadlineMs = Date.now() + timeoutMs;
      while (!pattern.test(out)) {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(
            `failover ${args.join(" ")} exited (${child.exitCode ?? child.signalCode}) before printing ${pattern}:\n${out}\n${err}`,
          );
        }
        if (Date.now() > deadlineMs)
          throw new Error(
            `no ${pattern} from failover ${args.join(" ")} in ${timeoutMs} ms:\n${out}\n${err}`,
          );
        await new Promise((r) => setTimeout(r, 50));
      }
      return out;
    },
  };
}

/** Runs `failover <args>` to completion (bounded) and returns what it printed and its exit code. */
export async function failoverOnce(
  args: string[],
  timeoutMs = CLI_BOUND_MS,
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const cli = runFailover(args, env);
  const timer = setTimeout(cli.kill, timeoutMs);
  const code = await cli.exited;
  clearTimeout(timer);
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

/** A stack trace's frames ("    at fn (file:line)") must never reach a user. */
export const STACK_FRAME = /^\s+at .+:\d+/m;
