import type { Command } from "commander";
import { CliError } from "../../core/cli-error.ts";
import { commandGroup } from "../command-group.ts";
import { envFromOption, portArg, untilStopped } from "../env-option.ts";

export function register(program: Command): void {
  commandGroup(program, "serve", "Serve one part of the stack on Node")
    .command("region")
    .description("Serve one region's service (items API, health, replication) on Node")
    .requiredOption("--region <name>", "the region to serve, e.g. prod-us (must be in the environment)")
    .option(
      "--env <name>",
      "environment: development, staging or production (default: $USER_ENV_NAME, $ENV_NAME, else development)",
    )
    .option("--port <n>", "port to listen on (default: the port in the region's endpoint)", portArg)
    .option(
      "--replication-port <n>",
      "port of the region-to-region (replication) listener (default: the port in the region's replicationEndpoint)",
      portArg,
    )
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .addHelpText(
      "after",
      "\nThe store and replication mode come from the environment's config (regions/environments/<env>.json).\n" +
        "With the memory store, the control record is local to this process: use `failover up` to run\n" +
        "both regions and the router together, or the dynamodb store to share it between processes.\n" +
        "Replication is served on its own listener and every request on it is signed: staging and production\n" +
        "refuse to start without the key ($FAILOVER_REPLICATION_KEY, or replicationAuth.keySecretId in the config).",
    )
    .action(
      async (options: {
        region: string;
        env?: string;
        port?: number;
        replicationPort?: number;
        host: string;
      }) => {
        const { startRegionServer } = await import("../serve/start-region-server.ts");
        const env = envFromOption(options.env);
        const served = await startRegionServer({
          env,
          regionName: options.region,
          port: options.port,
          replicationPort: options.replicationPort,
          host: options.host,
        }).catch((error: Error) => {
          throw error.name === "ConfigError" ? error : new CliError(error.message);
        });
        process.stdout.write(
          `${options.region} (${env}) serving on ${served.url}, replication on ${served.replication.url}\n`,
        );
        await untilStopped();
        await served.close();
      },
    );
}
