import { relative } from "node:path";
import { buildRouterArtifacts } from "./artifacts/build-router-artifacts.ts";

/**
 * `node --import tsx deploy/build-artifacts.ts [outDir]`: builds the router's Lambda handler,
 * its zip, and its Node server bundle (default outDir: dist/). See deploy/README.md.
 */
try {
  const built = await buildRouterArtifacts(process.argv[2]);
  for (const file of built.files)
    process.stdout.write(`${file.path.padEnd(48)} ${(file.bytes / 1024).toFixed(1)} KiB\n`);
  process.stdout.write(
    `\nLambda: ${relative(process.cwd(), built.lambdaZip)} (handler index.handler, runtime nodejs24.x)\n` +
      `Node:   node ${relative(process.cwd(), built.nodeDir)}/server.mjs (PORT, HOST, ENV_NAME)\n`,
  );
} catch (error) {
  process.stderr.write(`build failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
