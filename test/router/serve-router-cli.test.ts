import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";

// `failover serve router` as an operator runs it: a real process, the development environment.
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children) child.kill("SIGKILL");
  children.length = 0;
});

function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ["bin/failover.js", "serve", "router", ...args], {
    env: { ...process.env, USER_ENV_NAME: "", ENV_NAME: "", LOG_LEVEL: "silent", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => {
    stdout += d;
  });
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

async function until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("failover serve router", () => {
  it("serves, guards the admin API with FAILOVER_ADMIN_TOKEN, and stops cleanly on Ctrl-C", async () => {
    const router = run(["--port", "0", "--router-id", "cli-edge"], { FAILOVER_ADMIN_TOKEN: "cli-token" });
    await until(() => /serving on http:\/\/127\.0\.0\.1:\d+/.test(router.out()));
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(router.out())![0];
    expect((await fetch(`${url}/_router/status`)).status).toBe(401);
    const status = await fetch(`${url}/_router/status`, { headers: { authorization: "Bearer cli-token" } });
    expect(await status.json()).toMatchObject({ routerId: "cli-edge", environment: "development" });
    router.child.kill("SIGINT");
    expect(await router.exited).toBe(0);
  }, 30_000);

  it("a port in use is a one-line error and a non-zero exit, not a stack trace", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const router = run(["--port", String(port)]);
      expect(await router.exited).toBe(1);
      expect(router.err()).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(router.err()).not.toMatch(/\n\s+at /);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  }, 30_000);

  it("production without an admin token refuses to start (exit 2) and names the variable", async () => {
    const router = run(["--env", "production", "--port", "0"], { FAILOVER_ADMIN_TOKEN: "" });
    expect(await router.exited).toBe(2);
    expect(router.err()).toContain("FAILOVER_ADMIN_TOKEN");
  }, 30_000);
});
