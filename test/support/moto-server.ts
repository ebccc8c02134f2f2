import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

/**
 * moto's server speaks the Route 53 and STS APIs over HTTP, so the deploy tests talk to a real
 * server over a real connection (STYLE.md: integration tests talk to the real thing). This file
 * finds a Python that can import it (installing it with scripts/install-moto.sh if none can),
 * starts it on 127.0.0.1 on a free port and stops it again.
 */
export interface MotoServer {
  /** e.g. http://127.0.0.1:41234 */
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

const execFileAsync = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const INSTALL_SCRIPT = join(ROOT, "scripts/install-moto.sh");
/**
 * moto imports most of boto on start; on a busy 2-core machine that takes a few seconds, on a
 * loaded one (test/support/loaded-machine.ts) far more: a bound on a hang, not a speed.
 */
const START_TIMEOUT_MS = 180_000;
const STOP_GRACE_MS = 5_000;

export async function startMotoServer(): Promise<MotoServer> {
  const python = await findMotoPython();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(python, ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
    env: motoEnv(),
  });
  // If this process dies without calling stop(), do not leave moto running.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.removeListener("exit", killOnExit));
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  try {
    await waitUntilAnswering(endpoint, child, output);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return { endpoint, port, stop: () => stopChild(child) };
}

/** moto would otherwise pin every request to an account the developer's shell exports. */
function motoEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: "1" };
  delete env.MOTO_ACCOUNT_ID;
  return env;
}

/** The first Python that can import moto's server; installs moto once if none can. */
export async function findMotoPython(): Promise<string> {
  const found = await firstWorkingPython();
  if (found) return found;
  try {
    await execFileAsync("bash", [INSTALL_SCRIPT], { cwd: ROOT, timeout: 300_000 });
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    throw new Error(
      `moto's server is not installed and scripts/install-moto.sh failed:\n${detail}\n` +
        `Install it by hand with: python3 -m pip install "moto[server]==5.2.1"`,
    );
  }
  const installed = await firstWorkingPython();
  if (installed) return installed;
  throw new Error(
    "scripts/install-moto.sh ran but no Python can `import moto.server`; set FAILOVER_PYTHON to a Python that can",
  );
}

async function firstWorkingPython(): Promise<string | undefined> {
  const venvPython = join(ROOT, ".tools/moto-venv/bin/python");
  const candidates = [
    process.env.FAILOVER_PYTHON,
    existsSync(venvPython) ? venvPython : undefined,
    "python3",
  ];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      await execFileAsync(candidate, ["-c", "import moto.server"], { timeout: 60_000 });
      return candidate;
    } catch {
      // not this one; try the next
    }
  }
  return undefined;
}

/** A port the OS just handed out on 127.0.0.1; moto binds it a moment later. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`moto's server exited with code ${child.exitCode} on start:\n${output.join("")}`);
    }
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `moto's server did not answer on ${endpoint} within ${START_TIMEOUT_MS} ms:\n${output.join("")}`,
  );
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
    child.once("exit", () => {
      clearTimeout(force);
      done();
    });
    child.kill("SIGTERM");
  });
}
