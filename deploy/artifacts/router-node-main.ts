import { buildRouterFromEnv } from "../../router/build-from-env.ts";
import { serveRouter } from "../../router/node-server.ts";

/**
 * Entry point of the router's Node bundle (dist/router-node/server.mjs), for a container or VM
 * in each region. Configured by environment variables only, as containers are:
 *   ENV_NAME               environment (development, staging, production)
 *   PORT                   port to listen on (default 8080)
 *   HOST                   address to listen on (default 0.0.0.0: reachable from a load balancer)
 *   FAILOVER_ROUTER_ID     this router's name in logs and the control record (default host-pid)
 *   FAILOVER_ADMIN_TOKEN   bearer token for /_router/* (required in production)
 * Stops cleanly on SIGTERM (what ECS and Kubernetes send before killing a task).
 */
const DEFAULT_PORT = 8080;

async function main(): Promise<void> {
  const port = process.env.PORT === undefined ? DEFAULT_PORT : Number(process.env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be 0-65535, got "${process.env.PORT}"`);
  const host = process.env.HOST || "0.0.0.0";
  const built = await buildRouterFromEnv();
  const served = await serveRouter(built.router, { port, host }).catch(async (error: Error) => {
    await built.close();
    throw error;
  });
  built.router.start();
  process.stdout.write(
    `${JSON.stringify({ msg: "router listening", env: built.config.name, url: served.url })}\n`,
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await served.close();
  await built.close();
}

main().catch((error: Error) => {
  // One line, no stack: the same rule as the CLI (set FAILOVER_DEBUG=1 for the stack).
  process.stderr.write(`router failed to start: ${error.message}\n`);
  if (process.env.FAILOVER_DEBUG === "1") process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
