#!/usr/bin/env node
// Entry point for the `failover` CLI: registers tsx so the TypeScript sources run as they are,
// with no build step between a fresh clone and a first run.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

// The simulator allocates a few short-lived objects per simulated request, and many live for a
// few hundred events (requests in flight). With V8's default young generation they survive two
// scavenges and are copied into the old generation; 64 MB semi-spaces let them die young (18%
// less wall time for `npm run bench:sim`, measured). Heap sizes can only be set when Node
// starts, so `simulate` runs in a child started with the flag.
const YOUNG_GENERATION_FLAG = "--max-semi-space-size=64";
if (process.argv[2] === "simulate" && !process.execArgv.some((a) => a.startsWith("--max-semi-space-size"))) {
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, YOUNG_GENERATION_FLAG, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: "inherit" },
  );
  process.exit(child.status ?? 1);
}

const { register } = await import("tsx/esm/api");
register();
await import("../cli/main.ts");
