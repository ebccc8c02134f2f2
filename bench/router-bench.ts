/**
 * `npm run bench`: the router in front of a trivial upstream on loopback, measured in the same
 * run against the upstream direct, with autocannon (npm). Issue 3's aim: at least 35% of the
 * direct throughput and under 1 ms added p50.
 *
 * Three processes, so the router is measured as it runs in production (its own event loop):
 * this one drives autocannon; a child serves the upstream (node:http, a 3-byte body); another
 * child serves the real router (createRouter + pooled undici transport + @hono/node-server).
 * The children run from an esbuild bundle of this file (node_modules kept external), as the
 * router is deployed (deploy/ bundles it with esbuild): the tsx loader used in development adds
 * its own per-call wrappers (keepNames) that production does not pay (~10% CPU per request).
 * Two phases, each direct then through the router with the same settings:
 *   1. throughput: closed loop, CONNECTIONS connections, THROUGHPUT_S seconds;
 *   2. latency: a fixed RATE_PER_S requests per second (below both saturation points), so the
 *      percentiles show the router's own cost rather than queueing at saturation.
 * Latency is recorded per response in microseconds (autocannon's own histogram has 1 ms steps).
 * ROUTER_BENCH_PROFILE=<dir> writes a V8 CPU profile of the router process there.
 * Every run also measures a bare proxy (node:http + undici, no routing logic), the ceiling any
 * Node proxy reaches on the same machine, and, when a Bun binary is found (BUN=<path>, the npm
 * `bun` package, or PATH), the same router on Bun (issue 18: an option for the container).
 */
import { type ChildProcess, fork, spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as hdr from "hdr-histogram-js";
import type { EnvironmentConfig } from "../config/schema.ts";
import type { Transport } from "../core/transport.ts";
import type { Router } from "../router/create-router.ts";

const CONNECTIONS = 32;
const THROUGHPUT_S = 10;
const RATE_PER_S = 2000;
const LATENCY_S = 5;
const WARMUP_S = 1;

async function serveUpstream(): Promise<void> {
  const body = Buffer.from("ok\n");
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { "content-type": "text/plain", "content-length": body.length });
    res.end(body);
  });
  server.keepAliveTimeout = 65_000;
  answerCpuQueries();
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    process.send?.({ port: typeof address === "object" && address ? address.port : 0 });
  });
}

/** The least a Node proxy can do: no routing, no health, no headers beyond one. A ceiling, not a product. */
async function serveBareProxy(upstreamPort: number): Promise<void> {
  const { Pool } = await import("undici");
  const pool = new Pool(`http://127.0.0.1:${upstreamPort}`, { connections: 128 });
  const server = createServer(async (req, res) => {
    const upstream = await pool.request({ path: req.url ?? "/", method: "GET", headers: { accept: "*/*" } });
    const body = Buffer.from(await upstream.body.arrayBuffer());
    res.writeHead(upstream.statusCode, {
      "content-type": String(upstream.headers["content-type"]),
      "content-length": body.length,
    });
    res.end(body);
  });
  answerCpuQueries();
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    process.send?.({ port: typeof address === "object" && address ? address.port : 0 });
  });
}

async function serveRouterChild(upstreamPort: number): Promise<void> {
  const { serveRouter } = await import("../router/node-server.ts");
  const { createHttpTransport } = await import("../router/transport/http-transport.ts");
  const router = await benchRouter(upstreamPort, "bench", (config) => createHttpTransport(config).transport);
  const served = await serveRouter(router, { port: 0, host: "127.0.0.1" });
  router.start();
  answerCpuQueries();
  process.send?.({ port: served.port });
}

/**
 * The same router on Bun, with the fetch transport (Bun's own `undici` module has no dispatcher
 * API for the pooled HTTP transport; its fetch pools keep-alive connections natively), served
 * one of two ways: `node-http`, Bun's node:http with the same hardened listener as on Node
 * (router/node-server.ts: the raw request target the request guard judges, JSON answers to what
 * the parser refuses, client timeouts), which is what passes the router's socket tests on Bun;
 * or `bun-serve`, Hono's app.fetch on Bun.serve, faster but its Request URL is already
 * normalised (dot segments and backslashes resolved), so the guard cannot judge what the client
 * sent.
 */
async function serveRouterOnBun(upstreamPort: number, server: "node-http" | "bun-serve"): Promise<void> {
  const { createFetchTransport } = await import("../router/transport/fetch-transport.ts");
  const router = await benchRouter(upstreamPort, "bench-bun", createFetchTransport);
  let port: number;
  if (server === "node-http") {
    const { serveRouter } = await import("../router/node-server.ts");
    port = (await serveRouter(router, { port: 0, host: "127.0.0.1" })).port;
  } else {
    type BunServer = { port: number; requestIP(r: Request): { address: string } | null };
    const bun = (globalThis as unknown as { Bun: { serve(o: unknown): BunServer } }).Bun;
    port = bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch: (request: Request, s: BunServer) =>
        router.app.fetch(request, { clientAddress: s.requestIP(request)?.address }),
    }).port;
  }
  router.start();
  answerCpuQueries();
  process.send?.({ port });
}

/**
 * The real router for the bench: both regions at the upstream, the wall clock, a control record
 * in memory, warnings only; `transportOf` picks how it sends upstream (undici on Node, fetch on
 * Bun). Its modules are imported here, in the child, not by the process driving the load.
 */
async function benchRouter(
  upstreamPort: number,
  routerId: string,
  transportOf: (config: EnvironmentConfig) => Transport,
): Promise<Router> {
  const { pino } = await import("pino");
  const { systemClock } = await import("../core/clock.ts");
  const { MemoryControlStore } = await import("../core/control.ts");
  const { seededRandom } = await import("../core/random.ts");
  const { createRouter } = await import("../router/create-router.ts");
  const config = await benchConfig(upstreamPort);
  return createRouter({
    config,
    routerId,
    clock: systemClock,
    transport: transportOf(config),
    random: seededRandom(1),
    control: new MemoryControlStore(),
    logger: pino({ level: "warn" }),
  });
}

async function benchConfig(upstreamPort: number): Promise<EnvironmentConfig> {
  const { environmentSchema } = await import("../config/schema.ts");
  const endpoint = `http://127.0.0.1:${upstreamPort}`;
  return environmentSchema.parse({
    name: "development",
    initialActive: "bench-us",
    regions: [
      { name: "bench-us", location: "virginia", awsRegion: "us-east-1", endpoint },
      { name: "bench-ie", location: "ireland", awsRegion: "eu-west-1", endpoint },
    ],
  });
}

/**
 * Children answer {cpu: true} with their CPU time so far, and exit on {stop: true} (rather than
 * by signal, so a CPU profile, ROUTER_BENCH_PROFILE, is written).
 */
function answerCpuQueries(): void {
  process.on("message", (m: { cpu?: boolean; stop?: boolean }) => {
    if (m.stop) process.exit(0);
    if (m.cpu) {
      const used = process.cpuUsage();
      process.send?.({ cpuUs: used.user + used.system });
    }
  });
}

interface Measured {
  label: string;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  /** CPU time of the process serving the URL (upstream, or router), per request. */
  cpuUsPerRequest: number;
}

type Autocannon = (options: Record<string, unknown>) => Promise<{
  requests: { average: number; total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
}> & {
  on(
    event: "response",
    listener: (client: unknown, status: number, bytes: number, timeMs: number) => void,
  ): void;
};

async function main(): Promise<void> {
  const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;
  childEntry = await bundleForChildren();
  const children: ChildProcess[] = [];
  const stop = () => {
    for (const child of children) if (child.connected) child.send({ stop: true });
    setTimeout(() => {
      for (const child of children) child.kill();
    }, 2000).unref();
  };
  process.on("exit", stop);
  try {
    const upstreamPort = await startChild(["--role=upstream"], children);
    const routerPort = await startChild(["--role=router", `--upstream=${upstreamPort}`], children);
    const [upstream, router] = children as [ChildProcess, ChildProcess];
    const direct = `http://127.0.0.1:${upstreamPort}/items?limit=1`;
    const routed = `http://127.0.0.1:${routerPort}/items?limit=1`;
    process.stdout.write(`upstream :${upstreamPort}, router :${routerPort}; warming up\n`);
    await measure(autocannon, "warm-up", direct, { connections: CONNECTIONS, duration: WARMUP_S }, upstream);
    await measure(autocannon, "warm-up", routed, { connections: CONNECTIONS, duration: WARMUP_S }, router);

    process.stdout.write(`throughput: ${CONNECTIONS} connections, ${THROUGHPUT_S} s each\n`);
    const closed = { connections: CONNECTIONS, duration: THROUGHPUT_S };
    const td = await measure(autocannon, "direct", direct, closed, upstream);
    const tr = await measure(autocannon, "router", routed, closed, router);
    process.stdout.write(`latency: ${RATE_PER_S} req/s over 8 connections, ${LATENCY_S} s each\n`);
    const fixed = { connections: 8, duration: LATENCY_S, overallRate: RATE_PER_S };
    const ld = await measure(autocannon, "direct", direct, fixed, upstream);
    const lr = await measure(autocannon, "router", routed, fixed, router);

    printTable(`Throughput (${CONNECTIONS} connections, ${THROUGHPUT_S} s)`, td, tr);
    printTable(`Latency at a fixed ${RATE_PER_S} req/s (8 connections, ${LATENCY_S} s)`, ld, lr);
    // The ceiling any Node proxy reaches here: measured in every run, beside the router.
    const barePort = await startChild(["--role=bare", `--upstream=${upstreamPort}`], children);
    const bare = children.at(-1)!;
    const bareUrl = `http://127.0.0.1:${barePort}/items?limit=1`;
    await measure(autocannon, "warm-up", bareUrl, { connections: CONNECTIONS, duration: WARMUP_S }, bare);
    const tb = await measure(autocannon, "bare proxy", bareUrl, closed, bare);
    const lb = await measure(autocannon, "bare proxy", bareUrl, fixed, bare);
    printTable("Baseline: bare node:http + undici proxy, throughput", td, tb);
    printTable(`Baseline: bare proxy, latency at ${RATE_PER_S} req/s`, ld, lb);
    const bunPath = findBun();
    if (bunPath) {
      const onBun: Record<string, { t: Measured; l: Measured }> = {};
      for (const server of ["node-http", "bun-serve"] as const) {
        const bunPort = await startChild(
          ["--role=router-bun", `--server=${server}`, `--upstream=${upstreamPort}`],
          children,
          bunPath,
        );
        const child = children.at(-1)!;
        const bunUrl = `http://127.0.0.1:${bunPort}/items?limit=1`;
        const label = `router on Bun (${server})`;
        await measure(autocannon, "warm-up", bunUrl, { connections: CONNECTIONS, duration: WARMUP_S }, child);
        const t = await measure(autocannon, label, bunUrl, closed, child);
        const l = await measure(autocannon, label, bunUrl, fixed, child);
        printTable(`The router on Bun ${bunVersion(bunPath)}, ${server}, throughput`, td, t);
        printTable(`The router on Bun, ${server}, latency at ${RATE_PER_S} req/s`, ld, l);
        onBun[server] = { t, l };
      }
      for (const [server, { t, l }] of Object.entries(onBun)) {
        process.stdout.write(
          `\nRouter on Bun (${server}) vs on Node, same run: ${(t.rps / tr.rps).toFixed(2)}x the throughput, ` +
            `${t.cpuUsPerRequest.toFixed(0)} vs ${tr.cpuUsPerRequest.toFixed(0)} us CPU/request, ` +
            `p50 at ${RATE_PER_S} req/s ${l.p50Ms.toFixed(3)} ms vs ${lr.p50Ms.toFixed(3)} ms.`,
        );
      }
      process.stdout.write("\n");
    } else
      process.stdout.write("\n(no Bun binary: BUN=<path>, `bun` on PATH, or npm install --no-save bun)\n");
    const ratio = tr.rps / td.rps;
    const addedP50 = lr.p50Ms - ld.p50Ms;
    process.stdout.write(
      `\nRouter throughput: ${(ratio * 100).toFixed(1)}% of direct (aim >= 35%: ${ratio >= 0.35 ? "met" : "missed"}); ` +
        `added p50 at ${RATE_PER_S} req/s: ${addedP50.toFixed(3)} ms (aim < 1 ms: ${addedP50 < 1 ? "met" : "missed"}).\n`,
    );
  } finally {
    stop();
  }
}

let childEntry: { file: string; execArgv: string[] } = {
  file: fileURLToPath(import.meta.url),
  execArgv: process.execArgv,
};

/** This file bundled by esbuild for the child processes; the tsx source if bundling fails. */
async function bundleForChildren(): Promise<{ file: string; execArgv: string[] }> {
  const source = fileURLToPath(import.meta.url);
  const outfile = join(dirname(source), "../node_modules/.cache/failover-bench/router-bench.mjs");
  try {
    const { build } = await import("esbuild");
    await build({
      entryPoints: [source],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node24",
      packages: "external",
      logLevel: "silent",
    });
    return { file: outfile, execArgv: [] };
  } catch (error) {
    process.stdout.write(`(esbuild bundle failed, children run under tsx: ${(error as Error).message})\n`);
    return { file: source, execArgv: process.execArgv };
  }
}

function startChild(args: string[], children: ChildProcess[], execPath?: string): Promise<number> {
  const profileDir = process.env.ROUTER_BENCH_PROFILE;
  const profile =
    profileDir && args[0] === "--role=router" ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
  const child = fork(childEntry.file, args, {
    execArgv: execPath ? [] : [...childEntry.execArgv, ...profile],
    stdio: "inherit",
    ...(execPath ? { execPath } : {}),
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once("message", (m: { port: number }) => resolve(m.port));
    child.once("exit", (code) => reject(new Error(`${args[0]} exited with ${code}`)));
  });
}

async function measure(
  autocannon: Autocannon,
  label: string,
  url: string,
  options: Record<string, unknown>,
  server: ChildProcess,
): Promise<Measured> {
  const cpuBefore = await cpuOf(server);
  const histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
  });
  const run = autocannon({ url, ...options });
  run.on("response", (_client, _status, _bytes, timeMs) =>
    histogram.recordValue(Math.max(1, Math.round(timeMs * 1000))),
  );
  const result = await run;
  const cpuUs = (await cpuOf(server)) - cpuBefore;
  const measured = {
    label,
    rps: result.requests.total / result.duration,
    p50Ms: histogram.getValueAtPercentile(50) / 1000,
    p99Ms: histogram.getValueAtPercentile(99) / 1000,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    cpuUsPerRequest: cpuUs / Math.max(1, result.requests.total),
  };
  histogram.destroy();
  return measured;
}

function printTable(title: string, direct: Measured, router: Measured): void {
  const rows = [
    ["", "req/s", "p50 ms", "p99 ms", "server CPU us/req", "errors", "non-2xx"],
    ...[direct, router].map((m) => [
      m.label,
      m.rps.toFixed(0),
      m.p50Ms.toFixed(3),
      m.p99Ms.toFixed(3),
      m.cpuUsPerRequest.toFixed(1),
      String(m.errors),
      String(m.non2xx),
    ]),
    [
      `${router.label}/direct`,
      `${((router.rps / direct.rps) * 100).toFixed(1)}%`,
      `+${(router.p50Ms - direct.p50Ms).toFixed(3)}`,
      `+${(router.p99Ms - direct.p99Ms).toFixed(3)}`,
      `x${(router.cpuUsPerRequest / direct.cpuUsPerRequest).toFixed(2)}`,
      "",
      "",
    ],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  process.stdout.write(`\n${title}\n`);
  for (const row of rows)
    process.stdout.write(`  ${row.map((cell, i) => cell.padStart(widths[i]!)).join("  ")}\n`);
}

function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (m: { cpuUs?: number }) => {
      if (m.cpuUs === undefined) return;
      child.off("message", onMessage);
      resolve(m.cpuUs);
    };
    child.on("message", onMessage);
    child.send({ cpu: true });
  });
}

/** The Bun binary: $BUN, the npm `bun` package's, or `bun` on PATH; undefined when there is none. */
function findBun(): string | undefined {
  const candidates = [
    process.env.BUN,
    join(dirname(fileURLToPath(import.meta.url)), "../node_modules/bun/bin/bun.exe"),
    join(dirname(fileURLToPath(import.meta.url)), "../../node_modules/bun/bin/bun.exe"),
    "bun",
  ];
  for (const candidate of candidates) {
    if (!candidate) continue;
    const run = spawnSync(candidate, ["--version"], { encoding: "utf8" });
    if (run.status === 0) return candidate;
  }
  return undefined;
}

function bunVersion(path: string): string {
  return spawnSync(path, ["--version"], { encoding: "utf8" }).stdout.trim();
}

// Last, so every declaration above is initialised before a role runs.
const role = process.argv.find((a) => a.startsWith("--role="))?.slice(7) ?? "main";
if (role === "upstream") await serveUpstream();
else if (role === "bare")
  await serveBareProxy(Number(process.argv.find((a) => a.startsWith("--upstream="))?.slice(11)));
else if (role === "router-bun")
  await serveRouterOnBun(
    Number(process.argv.find((a) => a.startsWith("--upstream="))?.slice(11)),
    process.argv.includes("--server=bun-serve") ? "bun-serve" : "node-http",
  );
else if (role === "router")
  await serveRouterChild(Number(process.argv.find((a) => a.startsWith("--upstream="))?.slice(11)));
else await main();
