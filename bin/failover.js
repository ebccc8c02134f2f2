#!/usr/bin/env node
// Entry point for the `failover` CLI: registers tsx so the TypeScript sources run as they are,
// with no build step between a fresh clone and a first run.
import { register } from "tsx/esm/api";

register();
await import("../cli/main.ts");
