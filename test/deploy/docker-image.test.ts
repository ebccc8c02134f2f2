import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildRouterArtifacts, ROOT } from "../../deploy/artifacts/build-router-artifacts.ts";
import { eventually } from "../stack/support/http.ts";
import { freePort } from "../support/moto-server.ts";

/**
 * deploy/Dockerfile's image serves the built Node bundle (and deploy/Dockerfile.bun the same bundle on Bun). Needs a Docker daemon and the
 * node:24 base image; where `docker info` fails (no daemon, as on this project's machines,
 * which reach no image registry either) the test is skipped and its name says why.
 */
function dockerProblem(): string | undefined {
  const info = spawnSync("docker", ["info", "--format", "{{.ServerVersion}}"], {
    encoding: "utf8",
    timeout: 15_000,
  });
  if (info.error !== undefined) return `no docker command (${info.error.message})`;
  if (info.status !== 0)
    return `no Docker daemon answers \`docker info\` (${info.stderr.trim().split("\n").at(-1)})`;
  return undefined;
}

const problem = dockerProblem();

// The Node image, and the same bundle on Bun (deploy/Dockerfile.bun, issue 18 item 4).
describe.skipIf(problem !== undefined).each(["Dockerfile", "Dockerfile.bun"])(
  `the router's container image from deploy/%s${problem ? ` (skipped: ${problem})` : ""}`,
  (dockerfile) => {
    it("builds and answers /metrics and /healthz on the published port", async () => {
      const out = mkdtempSync(join(tmpdir(), "failover-image-"));
      const tag = `failover-router-smoke:${process.pid}`;
      const name = `failover-router-smoke-${process.pid}`;
      try {
        const built = await buildRouterArtifacts(join(out, "dist"));
        execFileSync(
          "docker",
          ["build", "-q", "-f", join(ROOT, "deploy", dockerfile), "-t", tag, built.nodeDir],
          {
            timeout: 600_000,
          },
        );
        const port = await freePort();
        execFileSync("docker", [
          "run",
          "-d",
          "--rm",
          "--name",
          name,
          "-p",
          `127.0.0.1:${port}:8080`,
          "-e",
          "ENV_NAME=development",
          "-e",
          "LOG_LEVEL=silent",
          tag,
        ]);
        const metrics = await eventually(
          "the container answering",
          async () => {
            const r = await fetch(`http://127.0.0.1:${port}/metrics`);
            return r.status === 200 ? r.text() : undefined;
          },
          60_000,
        );
        expect(metrics).toContain("failover_router_requests_total");
        // The development regions are not running: the router is up but has no region to use.
        const health = await fetch(`http://127.0.0.1:${port}/healthz`);
        expect(health.status).toBe(503);
      } finally {
        spawnSync("docker", ["stop", name], { timeout: 60_000 });
        spawnSync("docker", ["rmi", tag], { timeout: 60_000 });
        rmSync(out, { recursive: true, force: true });
      }
    }, 900_000);
  },
);
