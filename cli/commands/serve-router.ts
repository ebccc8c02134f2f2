import type { Command } from "commander";
import { CliError } from "../../core/cli-error.ts";
import { commandGroup } from "../command-group.ts";
import { envFromOption, portArg, untilStopped } from "../env-option.ts";

interface ServeRouterOptions {
  env?: string;
  port: number;
  host: string;
  routerId?: string;
}

export function register(program: Command): void {
  commandGroup(program, "serve", "Serve one part of the stack on Node")
    .command("router")
    .description("Serve the edge router: every request to the active region, failover to the standby")
    .option(
      "--env <name>",
      "environment: development, staging or production (default: $USER_ENV_NAME, $ENV_NAME, else development)",
    )
    .option("--port <n>", "port to listen on", portArg, 8080)
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--router-id <id>", "name of this router in the control record and logs (default: host-pid)")
    .addHelpText(
      "after",
      "\nThe admin API (/_router/status, promote, drain, failback) needs a bearer token from\n" +
        "$FAILOVER_ADMIN_TOKEN; the production router refuses to start without one.\n" +
        "Failover thresholds come from the environment's router policy (regions/environments/<env>.json).",
    )
    .action(async (options: ServeRouterOptions) => {
      const { buildRouterFromEnv } = await import("../../router/build-from-env.ts");
      const { serveRouter } = await import("../../router/node-server.ts");
      const env = envFromOption(options.env);
      const built = await buildRouterFromEnv({ envName: env, routerId: options.routerId }).catch(
        (error: Error) => {
          throw error.name === "ConfigError" ? error : new CliError(error.message);
        },
      );
      const served = await serveRouter(built.router, { port: options.port, host: options.host }).catch(
        async (error: Error) => {
          await built.close();
          throw new CliError(error.message);
        },
      );
      built.router.start();
      const regions = built.config.regions.map((r) => `${r.name} ${r.endpoint}`).join(", ");
      process.stdout.write(`router (${env}) serving on ${served.url} in front of ${regions}\n`);
      if (!process.env.FAILOVER_ADMIN_TOKEN) {
        process.stderr.write("admin API disabled: set FAILOVER_ADMIN_TOKEN to enable /_router/*\n");
      }
      await untilStopped();
      await served.close();
      await built.close();
    });
}
