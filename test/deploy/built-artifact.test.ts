import { type ChildProcess, execFileSync, fork, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type BuiltArtifacts, buildRouterArtifacts } from "../../deploy/artifacts/build-router-artifacts.ts";
import type { RunningStack } from "../../stack/start-stack.ts";
import { seedReplicatedItem, waitForActive } from "../stack/support/control.ts";
import { eventually } from "../stack/support/http.ts";
import { ADMIN_TOKEN, startTestStack } from "../stack/support/test-stack.ts";
import { freePort } from "../support/moto-server.ts";

/**
 * The artifact is what is tested (issue 14 (docs/issues.md)): the BUILT Lambda package, unzipped by an independent
 * reader (Python's zipfile), its handler loaded from the zip's own index.mjs, sent real Function
 * URL events (payload format 2.0); and the built Node server, sent the same requests over HTTP.
 * Both sit in front of the live stack's two regions, sharing its control record in DynamoDB
 * Local, so a failover seen by one is seen by the other. Only the environment file beside each
 * bundle is rewritten, to point at the regions' loopback ports; the code is the build's.
 */
let dir: string;
let built: BuiltArtifacts;
let stack: RunningStack;
let lambda: LambdaProcess;
let node: { url: string; child: ChildProcess };

interface LambdaResult {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}

interface LambdaProcess {
  invoke(event: object): Promise<LambdaResult>;
  child: ChildProcess;
}

/** Loads the handler in its own process (as Lambda does) and invokes it once per message. */
const INVOKER = `
const { handler } = await import(process.argv[2]);
process.on("message", async ({ id, event }) => {
  try { process.send({ id, result: await handler(event, {}) }); }
  catch (error) { process.send({ id, error: String(error && error.stack || error) }); }
});
process.send({ ready: true });
`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "failover-artifact-"));
  stack = await startTestStack({
    store: {
      kind: "dynamodb",
      tablePrefix: `artifact-${process.pid}-${Date.now()}`,
      endpoint: inject("dynamodbEndpoint"),
    },
  });
  built = await buildRouterArtifacts(join(dir, "dist"));
  const unzipped = join(dir, "lambda");
  execFileSync("python3", [
    "-c",
    "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])",
    built.lambdaZip,
    unzipped,
  ]);
  const environment = `${JSON.stringify({ ...stack.config, routerDeploy: undefined }, null, 2)}\n`;
  writeFileSync(join(unzipped, "environments/production.json"), environment);
  writeFileSync(join(built.nodeDir, "environments/production.json"), environment);
  const env = {
    PATH: process.env.PATH,
    ENV_NAME: "production",
    FAILOVER_ADMIN_TOKEN: ADMIN_TOKEN,
    LOG_LEVEL: "silent",
    // DynamoDB Local takes any credentials.
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_REGION: "us-east-1",
  };
  lambda = await startLambda(join(unzipped, "index.mjs"), { ...env, FAILOVER_ROUTER_ID: "lambda-smoke" });
  node = await startNodeServer(join(built.nodeDir, "server.mjs"), {
    ...env,
    FAILOVER_ROUTER_ID: "node-smoke",
  });
}, 180_000);

afterAll(async () => {
  lambda?.child.kill();
  node?.child.kill("SIGTERM");
  await stack?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function startLambda(indexMjs: string, env: NodeJS.ProcessEnv): Promise<LambdaProcess> {
  const invoker = join(dir, "invoke.mjs");
  writeFileSync(invoker, INVOKER);
  const child = fork(invoker, [indexMjs], { env, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const pending = new Map<number, (m: { result?: LambdaResult; error?: string }) => void>();
  let next = 0;
  await new Promise<void>((ready, fail) => {
    child.once("exit", (code) => fail(new Error(`the handler's process exited with ${code}`)));
    child.on("message", (m: { ready?: boolean; id?: number; result?: LambdaResult; error?: string }) => {
      if (m.ready) ready();
      else if (m.id !== undefined) pending.get(m.id)?.(m);
    });
  });
  return {
    child,
    invoke: (event) =>
      new Promise((done, fail) => {
        const id = next++;
        pending.set(id, (m) => (m.error === undefined ? done(m.result!) : fail(new Error(m.error))));
        child.send({ id, event });
      }),
  };
}

async function startNodeServer(
  serverMjs: string,
  env: NodeJS.ProcessEnv,
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [serverMjs], {
    env: { ...env, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let seen = "";
  child.stdout?.on("data", (c: Buffer) => (seen += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (seen += c.toString()));
  await eventually("the Node server listening", () => /router listening/.test(seen), 60_000);
  return { url: `http://127.0.0.1:${port}`, child };
}

/** A Function URL request event, payload format 2.0 (Lambda: "Invoking Lambda function URLs"). */
function urlEvent(
  method: string,
  pathWithQuery: string,
  options: { body?: string; base64?: boolean; headers?: Record<string, string> } = {},
): object {
  const [rawPath = "/", rawQueryString = ""] = pathWithQuery.split("?");
  const domainName = "abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws";
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString,
    headers: { host: domainName, "user-agent": "artifact-smoke", ...options.headers },
    ...(rawQueryString
      ? { queryStringParameters: Object.fromEntries(new URLSearchParams(rawQueryString)) }
      : {}),
    requestContext: {
      accountId: "anonymous",
      apiId: "abcdefghijklmnopqrstuvwxyz012345",
      domainName,
      domainPrefix: "abcdefghijklmnopqrstuvwxyz012345",
      http: {
        method,
        path: rawPath,
        protocol: "HTTP/1.1",
        sourceIp: "198.51.100.7",
        userAgent: "artifact-smoke",
      },
      requestId: `smoke-${Math.random().toString(36).slice(2)}`,
      routeKey: "$default",
      stage: "$default",
      time: "29/Nov/2026:00:00:00 +0000",
      timeEpoch: 1_796_000_000_000,
    },
    ...(options.body === undefined ? {} : { body: options.body }),
    isBase64Encoded: options.base64 === true,
  };
}

interface Answer {
  status: number;
  contentType: string | undefined;
  servedBy: string | undefined;
  json: Record<string, unknown>;
}

async function viaLambda(
  method: string,
  path: string,
  options: Parameters<typeof urlEvent>[2] = {},
): Promise<Answer> {
  const r = await lambda.invoke(urlEvent(method, path, options));
  const text = r.isBase64Encoded ? Buffer.from(r.body ?? "", "base64").toString() : (r.body ?? "");
  const headers = Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    status: r.statusCode,
    contentType: headers["content-type"],
    servedBy: headers["x-served-by"],
    json: JSON.parse(text || "{}"),
  };
}

async function viaNode(
  method: string,
  path: string,
  init: { body?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const r = await fetch(`${node.url}${path}`, { method, ...init });
  return {
    status: r.status,
    contentType: r.headers.get("content-type") ?? undefined,
    servedBy: r.headers.get("x-served-by") ?? undefined,
    json: (await r.json()) as Record<string, unknown>,
  };
}

/** What must match between the two: status, content type, the answering region, and the item. */
function shape(a: Answer) {
  return { status: a.status, contentType: a.contentType, servedBy: a.servedBy, data: a.json.data };
}

describe("the built router package answers Function URL events as the built Node server answers HTTP", () => {
  it("GET of an item", async () => {
    const id = await seedReplicatedItem(stack);
    const [fromLambda, fromNode] = [
      await viaLambda("GET", `/items/${id}`),
      await viaNode("GET", `/items/${id}`),
    ];
    expect(fromLambda.status).toBe(200);
    expect(fromLambda.json).toMatchObject({ id, data: { seed: true } });
    expect(shape(fromLambda)).toEqual(shape(fromNode));
  });

  it("POST with a JSON body", async () => {
    const body = JSON.stringify({ data: { via: "post", n: 1 } });
    const headers = { "content-type": "application/json" };
    const fromLambda = await viaLambda("POST", "/items", { body, headers });
    const fromNode = await viaNode("POST", "/items", { body, headers });
    expect(fromLambda.status).toBe(201);
    expect(shape(fromLambda)).toEqual(shape(fromNode));
    expect(fromLambda.json.id).not.toBe(fromNode.json.id);
    const readBack = await viaNode("GET", `/items/${String(fromLambda.json.id)}`);
    expect(readBack.json.data).toEqual({ via: "post", n: 1 });
  });

  it("POST with a base64-encoded body (as Lambda sends binary or non-text content)", async () => {
    const raw = JSON.stringify({ data: { via: "base64", text: "café ☕" } });
    const fromLambda = await viaLambda("POST", "/items", {
      body: Buffer.from(raw).toString("base64"),
      base64: true,
      headers: { "content-type": "application/json; charset=utf-8" },
    });
    const fromNode = await viaNode("POST", "/items", {
      body: raw,
      headers: { "content-type": "application/json; charset=utf-8" },
    });
    expect(fromLambda.status).toBe(201);
    expect(fromLambda.json.data).toEqual({ via: "base64", text: "café ☕" });
    expect(shape(fromLambda)).toEqual(shape(fromNode));
  });

  it("a failover: with prod-us down, both answer from prod-ie", async () => {
    const id = await seedReplicatedItem(stack);
    await stack.faults.inject({ kind: "region-down", region: "prod-us" });
    await waitForActive(stack, "prod-ie", 10_000);
    await eventually(
      "the Lambda handler's router on prod-ie",
      async () => (await viaLambda("GET", `/items/${id}`)).servedBy === "prod-ie",
      20_000,
    );
    await eventually(
      "the Node server's router on prod-ie",
      async () => (await viaNode("GET", `/items/${id}`)).servedBy === "prod-ie",
      20_000,
    );
    const [fromLambda, fromNode] = [
      await viaLambda("GET", `/items/${id}`),
      await viaNode("GET", `/items/${id}`),
    ];
    expect(fromLambda.status).toBe(200);
    expect(shape(fromLambda)).toEqual(shape(fromNode));
    // The handler's router learns the promotion from the control record at once, but calls
    // prod-us unusable only when its own probes have failed `fall` times: wait for that.
    await eventually(
      "the Lambda handler's router calling prod-us unusable",
      async () => JSON.stringify((await viaLambda("GET", "/healthz")).json.usableRegions) === '["prod-ie"]',
      20_000,
    );
    const health = await viaLambda("GET", "/healthz");
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ ok: true, activeRegion: "prod-ie", usableRegions: ["prod-ie"] });
  }, 60_000);
});
