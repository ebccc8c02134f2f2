import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuiltArtifacts, buildRouterArtifacts } from "../../deploy/artifacts/build-router-artifacts.ts";
import { crc32 } from "../../deploy/artifacts/write-zip.ts";
import { freePort } from "../support/moto-server.ts";

/**
 * The router's deployable artifacts, built into a temporary directory and then run the way
 * they run in a region: the Node bundle as a process serving HTTP on 127.0.0.1, the Lambda
 * package unzipped (by Python's zipfile, an independent reader) and its handler invoked with a
 * function-URL event. The development config's regions are not running, so the router answers
 * its own /metrics and a 503 for proxied requests.
 */
const execFileAsync = promisify(execFile);
let out: string;
let built: BuiltArtifacts;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), "failover-artifacts-"));
  built = await buildRouterArtifacts(out);
});

afterAll(() => rmSync(out, { recursive: true, force: true }));

const runEnv = () => ({
  PATH: process.env.PATH,
  ENV_NAME: "development",
  LOG_LEVEL: "silent",
  FAILOVER_ROUTER_ID: "test",
});

describe("router artifacts", () => {
  it("writes the Lambda handler, its zip and the Node server, each with the environment configs", () => {
    const paths = built.files.map((f) => f.path);
    for (const path of [
      "router-lambda/index.mjs",
      "router-lambda/environments/production.json",
      "router-lambda.zip",
      "router-node/server.mjs",
      "router-node/environments/production.json",
    ]) {
      expect(paths).toContain(path);
    }
  });

  it("serves the router from the Node bundle and stops on SIGTERM", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [join(built.nodeDir, "server.mjs")], {
      env: { ...runEnv(), PORT: String(port), HOST: "127.0.0.1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      await waitForLine(child, /router listening/);
      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain("failover_router_requests_total");
      const proxied = await fetch(`http://127.0.0.1:${port}/items`);
      expect(proxied.status).toBe(503);
      expect(await proxied.json()).toMatchObject({ error: "region_unreachable" });
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exitCode(child)).toBe(0);
  });

  it("packs a zip that unzips to a working Lambda handler", async () => {
    const unzipped = join(out, "unzipped");
    await execFileAsync("python3", [
      "-c",
      "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; z.extractall(sys.argv[2])",
      built.lambdaZip,
      unzipped,
    ]);
    expect(readFileSync(join(unzipped, "environments/production.json"), "utf8")).toBe(
      readFileSync("regions/environments/production.json", "utf8"),
    );
    const invoke = join(out, "invoke.mjs");
    writeFileSync(invoke, INVOKE_SCRIPT);
    const { stdout } = await execFileAsync(process.execPath, [invoke, join(unzipped, "index.mjs")], {
      env: runEnv(),
      timeout: 30_000,
    });
    const [metrics, proxied] = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(metrics).toMatchObject({ statusCode: 200 });
    expect(metrics.body).toContain("failover_router_requests_total");
    expect(proxied).toMatchObject({ statusCode: 503 });
    expect(JSON.parse(proxied.body)).toMatchObject({ error: "region_unreachable" });
  });

  it("computes the CRC-32 that ZIP readers check", () => {
    // The standard check value of CRC-32/ISO-HDLC.
    expect(crc32(Buffer.from("123456789"))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
    expect(existsSync(built.lambdaZip)).toBe(true);
  });
});

/** Calls the handler with a Lambda function-URL (payload 2.0) event, prints one JSON line per call. */
const INVOKE_SCRIPT = `
const { handler } = await import(process.argv[2]);
const event = (path) => ({
  version: "2.0", routeKey: "$default", rawPath: path, rawQueryString: "", isBase64Encoded: false,
  headers: { host: "router.lambda-url.us-east-1.on.aws" },
  requestContext: {
    http: { method: "GET", path, protocol: "HTTP/1.1", sourceIp: "198.51.100.7", userAgent: "test" },
    domainName: "router.lambda-url.us-east-1.on.aws", requestId: "r-" + path, accountId: "123456789012",
    apiId: "router", stage: "$default", time: "22/Nov/2026:00:00:00 +0000", timeEpoch: 0,
  },
});
for (const path of ["/metrics", "/items"]) {
  const response = await handler(event(path), {});
  console.log(JSON.stringify({ statusCode: response.statusCode, body: response.body }));
}
process.exit(0);
`;

function waitForLine(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(
      () => reject(new Error(`no line matching ${pattern} within 20 s:\n${seen}`)),
      20_000,
    );
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${seen}`));
    });
  });
}

function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}
