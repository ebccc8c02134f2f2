import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildRouterArtifacts } from "../../deploy/artifacts/build-router-artifacts.ts";
import { rawExchange } from "../router/support/raw-http.ts";
import { eventually } from "../stack/support/http.ts";
import { findBun } from "../support/bun-binary.ts";
import { freePort } from "../support/moto-server.ts";

// deploy/Dockerfile.bun runs the built bundle (dist/router-node/server.mjs) on Bun: the same file,
// started the same way, without Docker. The development environment's regions are not running,
// so the router is up with no region to use.
const bun = findBun();
let dir: string;
let child: ChildProcess | undefined;
let url: string;
let port: number;
let exited: Promise<number | null>;

describe.skipIf(bun === undefined)(
  `the built router bundle on Bun${bun === undefined ? " (skipped: no Bun binary: BUN=<path>, bun on PATH, or npm ci for the bun devDependency)" : ""}`,
  () => {
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "failover-bun-artifact-"));
      const built = await buildRouterArtifacts(join(dir, "dist"));
      port = await freePort();
      url = `http://127.0.0.1:${port}`;
      child = spawn(bun!, [join(built.nodeDir, "server.mjs")], {
        env: { PATH: process.env.PATH, ENV_NAME: "development", PORT: String(port), HOST: "127.0.0.1" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      exited = new Promise((resolve) => child!.on("exit", (code) => resolve(code)));
      let seen = "";
      child.stdout?.on("data", (c: Buffer) => (seen += c.toString()));
      child.stderr?.on("data", (c: Buffer) => (seen += c.toString()));
      await eventually("the router listening on Bun", () => /router listening/.test(seen), 60_000);
    }, 180_000);

    afterAll(() => {
      child?.kill("SIGKILL");
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("answers /metrics, and /healthz 503 with no region to use", async () => {
      const metrics = await fetch(`${url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain("failover_router_requests_total");
      // 503 once the first probes to the (absent) regions have failed.
      await eventually("/healthz 503", async () => (await fetch(`${url}/healthz`)).status === 503, 30_000);
    });

    it("judges the raw request target, as on Node: a dot segment before an internal path is a JSON 400", async () => {
      const answer = await rawExchange(
        port,
        "POST /items/../_replication/entries HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}",
      );
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({ error: "bad_path" });
    });

    it("stops cleanly on SIGTERM", async () => {
      child!.kill("SIGTERM");
      expect(await exited).toBe(0);
      child = undefined;
    });
  },
);
