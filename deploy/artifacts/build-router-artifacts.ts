import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import { zip } from "./write-zip.ts";

/**
 * Builds the router's deployable artifacts with esbuild, each self-contained (every npm
 * dependency bundled, the environment configs beside it):
 *   <out>/router-lambda/index.mjs   AWS Lambda handler (`index.handler`, Node.js 24 runtime)
 *   <out>/router-lambda.zip         the same, as a Lambda deployment package
 *   <out>/router-node/server.mjs    Node server for a container or VM (`node server.mjs`)
 */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const ENVIRONMENTS_SOURCE = join(ROOT, "regions/environments");

export interface BuiltArtifacts {
  lambdaDir: string;
  lambdaZip: string;
  nodeDir: string;
  /** Every file written, relative to the output directory, with its size. */
  files: { path: string; bytes: number }[];
}

export async function buildRouterArtifacts(outDir = join(ROOT, "dist")): Promise<BuiltArtifacts> {
  const lambdaDir = join(outDir, "router-lambda");
  const nodeDir = join(outDir, "router-node");
  const lambdaZip = join(outDir, "router-lambda.zip");
  for (const path of [lambdaDir, nodeDir, lambdaZip]) rmSync(path, { recursive: true, force: true });

  await bundle(join(ROOT, "router/lambda.ts"), join(lambdaDir, "index.mjs"));
  copyEnvironments(lambdaDir);
  await bundle(join(ROOT, "deploy/artifacts/router-node-main.ts"), join(nodeDir, "server.mjs"));
  copyEnvironments(nodeDir);
  writeFileSync(
    lambdaZip,
    zip(listFiles(lambdaDir).map((name) => ({ name, data: readFileSync(join(lambdaDir, name)) }))),
  );

  const files = [...listFiles(outDir)]
    .filter((f) => f.startsWith("router-"))
    .map((path) => ({ path, bytes: statSync(join(outDir, path)).size }));
  return { lambdaDir, lambdaZip, nodeDir, files };
}

async function bundle(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    // The Lambda runtime (nodejs24.x) and the project's engine (package.json "engines": >=24.11).
    target: "node24",
    format: "esm",
    sourcemap: true,
    // Smaller bundles start faster (Lambda cold starts parse the whole file); names kept for stacks.
    minify: true,
    keepNames: true,
    legalComments: "linked",
    logLevel: "silent",
    // CommonJS dependencies bundled into an ES module still call require() for Node built-ins.
    banner: {
      js: 'import { createRequire as __failoverCreateRequire } from "node:module"; const require = __failoverCreateRequire(import.meta.url);',
    },
    plugins: [environmentsBesideBundle()],
  });
}

/**
 * The config loader finds the environment files at `../regions/environments` from its own source
 * file (config/load-config.ts). In a bundle, import.meta.url is the bundle itself, so the
 * files are shipped in `./environments` beside it and the path is rewritten to match. If the
 * loader changes how it finds them, the build fails here rather than at run time in AWS.
 */
function environmentsBesideBundle(): Plugin {
  return {
    name: "failover-environments-beside-bundle",
    setup(b) {
      b.onLoad({ filter: /(^|[\\/])config[\\/]load-config\.ts$/ }, (args) => {
        const source = readFileSync(args.path, "utf8");
        if (!source.includes('"../regions/environments"')) {
          return {
            errors: [
              {
                text: 'config/load-config.ts no longer resolves "../regions/environments"; update deploy/artifacts/build-router-artifacts.ts',
              },
            ],
          };
        }
        return { contents: source.replace('"../regions/environments"', '"./environments"'), loader: "ts" };
      });
    },
  };
}

function copyEnvironments(dir: string): void {
  const target = join(dir, "environments");
  mkdirSync(target, { recursive: true });
  for (const file of readdirSync(ENVIRONMENTS_SOURCE).filter((f) => f.endsWith(".json"))) {
    copyFileSync(join(ENVIRONMENTS_SOURCE, file), join(target, file));
  }
}

/** Files under `dir`, relative, with forward slashes, sorted (stable archive order). */
function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(dir, path).split("\\").join("/"));
    }
  };
  walk(dir);
  return out;
}
