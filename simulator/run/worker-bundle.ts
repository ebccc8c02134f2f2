import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Plugin } from "esbuild";

/**
 * The file a simulation worker starts from: one prebuilt JavaScript bundle of run-worker.ts and
 * everything it imports, or, where no bundle can be had, run-worker-entry.mjs (tsx compiling the
 * sources in the worker).
 *
 * Why: a worker that loads the sources through tsx spends ~1.3 s of CPU before its first run
 * (0.8 s on its own thread, the rest on tsx's loader thread and V8's compiler threads), against
 * ~0.45 s for the bundle; measured with `npm run bench:sweep`'s per-thread table and
 * bench/README.md. The bundle is built once with esbuild (already here: tsx runs on it, and
 * dist/ is built with it) and kept in node_modules/.cache/failover/ with the size and mtime of
 * every file that went into it; it is built again as soon as any of them changes.
 */
const HERE = dirname(fileURLToPath(import.meta.url));
const PACKAGE_ROOT = resolve(HERE, "../..");
const TSX_ENTRY = join(HERE, "run-worker-entry.mjs");
const CACHE_DIR = join(PACKAGE_ROOT, "node_modules", ".cache", "failover");
/** Bump when the build below changes, so a bundle built the old way is not reused. */
const BUILD_VERSION = 2;

export interface InputStamp {
  path: string;
  size: number;
  mtimeMs: number;
}

interface Inputs {
  version: number;
  node: string;
  /** The build's options, so a bundle built with other options is not reused. */
  options: string;
  files: InputStamp[];
}

/** Options a caller may set; the rest of the build is fixed below. */
export interface BundleOptions {
  /** As the shipped router artifact is built (deploy/artifacts/build-router-artifacts.ts). */
  minify?: boolean;
  keepNames?: boolean;
}

let pending: Promise<string> | undefined;

/** The worker's entry file: the bundle if it is (or can be made) current, else the tsx entry. Built at most once per process. */
export function workerEntry(): Promise<string> {
  if (process.env.FAILOVER_WORKER_TSX === "1") return Promise.resolve(TSX_ENTRY);
  pending ??= cachedBundle(join(HERE, "run-worker.ts"), "run-worker").catch(() => TSX_ENTRY);
  return pending;
}

/**
 * A current bundle of `entry` (a TypeScript file of this package) and everything it imports,
 * cached as node_modules/.cache/failover/<name>-node<version>.mjs. Also used by
 * bench/sim-bench.ts, which measures the code as it is built, not as tsx runs the sources.
 */
export async function cachedBundle(
  entry: string,
  name: string,
  options: BundleOptions = {},
): Promise<string> {
  // One bundle per Node version (built for it), so two Nodes on one checkout (the machine's and
  // the project's, README) do not rebuild each other's.
  const bundle = join(CACHE_DIR, `${name}-node${process.versions.node}.mjs`);
  const inputsFile = join(CACHE_DIR, `${name}-node${process.versions.node}.inputs.json`);
  const optionsKey = JSON.stringify({
    minify: options.minify ?? false,
    keepNames: options.keepNames ?? false,
  });
  if (bundleIsCurrent(bundle, inputsFile, optionsKey)) return bundle;
  const esbuild = await import("esbuild");
  const built = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    minify: options.minify ?? false,
    keepNames: options.keepNames ?? false,
    platform: "node",
    format: "esm",
    target: `node${process.versions.node.split(".")[0]}`,
    write: false,
    metafile: true,
    logLevel: "silent",
    absWorkingDir: PACKAGE_ROOT,
    // CommonJS packages in an ES module bundle still call require() for Node's own modules.
    // (Written import.meta["url"] so that keepModuleUrls below leaves this one alone.)
    banner: {
      js: `import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta["url"]);`,
    },
    plugins: [keepModuleUrls],
    // This file is in the worker's import graph (run-jobs.ts) but a worker never builds.
    external: ["esbuild"],
  });
  const code = built.outputFiles[0]!.contents;
  const files = Object.keys(built.metafile.inputs).map((input) => stamp(resolve(PACKAGE_ROOT, input)));
  const inputs: Inputs = { version: BUILD_VERSION, node: process.versions.node, options: optionsKey, files };
  mkdirSync(CACHE_DIR, { recursive: true });
  // Written under a temporary name and renamed, so a process starting workers at the same time
  // sees the old bundle or the new one, never half of one.
  const tmp = `.${process.pid}-${Date.now()}`;
  writeFileSync(bundle + tmp, code);
  writeFileSync(inputsFile + tmp, JSON.stringify(inputs));
  renameSync(bundle + tmp, bundle);
  renameSync(inputsFile + tmp, inputsFile);
  return bundle;
}

function bundleIsCurrent(bundle: string, inputsFile: string, optionsKey: string): boolean {
  try {
    const inputs = JSON.parse(readFileSync(inputsFile, "utf8")) as Inputs;
    if (inputs.version !== BUILD_VERSION || inputs.node !== process.versions.node) return false;
    if (inputs.options !== optionsKey) return false;
    statSync(bundle);
    return unchanged(inputs.files);
  } catch {
    return false;
  }
}

/** True while every file still has the size and mtime it had when stamped (false if one is gone). */
export function unchanged(files: readonly InputStamp[]): boolean {
  try {
    return files.every((f) => {
      const now = stamp(f.path);
      return now.size === f.size && now.mtimeMs === f.mtimeMs;
    });
  } catch {
    return false;
  }
}

export function stamp(path: string): InputStamp {
  const s = statSync(path);
  return { path, size: s.size, mtimeMs: s.mtimeMs };
}

/**
 * Sources that find their data files from their own location (scenarios, latency tables,
 * environments: `fileURLToPath(import.meta.url)`) keep their own URL in the bundle, not the
 * bundle's.
 */
const MODULE_URL = /\bimport\.meta\.url\b/g;
const keepModuleUrls: Plugin = {
  name: "keep-module-urls",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes("/node_modules/")) return undefined;
      const text = readFileSync(args.path, "utf8");
      if (!text.match(MODULE_URL)) return undefined;
      return {
        contents: text.replace(MODULE_URL, JSON.stringify(pathToFileURL(args.path).href)),
        loader: "ts",
      };
    });
  },
};
