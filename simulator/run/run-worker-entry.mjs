// A worker thread's entry (run-jobs.ts): registers tsx in the worker itself, then loads the
// TypeScript worker. Passing tsx as `--import` in the worker's execArgv is not enough on every
// Node this project runs on: Node 20 checks the entry file's extension before that hook runs
// ("Unknown file extension .ts"), so the entry is plain JavaScript.
import { register } from "tsx/esm/api";

register();
await import("./run-worker.ts");
