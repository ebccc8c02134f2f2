import { type Command, InvalidArgumentError, Option } from "commander";

export function register(program: Command): void {
  program
    .command("up")
    .description(
      "Start the router and both regions on 127.0.0.1, with injected latency and a fault-control API",
    )
    .option(
      "--env <name>",
      "environment whose topology and policy to run (its resources are never touched)",
      "production",
    )
    .addOption(
      new Option("--store <kind>", "region stores").choices(["memory", "dynamodb"]).default("memory"),
    )
    .option(
      "--dynamodb-endpoint <url>",
      "DynamoDB-compatible endpoint for --store dynamodb (e.g. DynamoDB Local)",
    )
    .option(
      "--table-prefix <prefix>",
      "--store dynamodb: table prefix (default failover-live-<env>; the same on every start)",
    )
    .option("--fresh", "--store dynamodb: drop the prefix's tables first and start empty")
    .addOption(new Option("--replication <mode>", "override the replication mode").choices(["async", "sync"]))
    .addOption(
      new Option("--log <format>", "router decisions as they happen: text lines, or one JSON object a line")
        .choices(["text", "json"])
        .default("text"),
    )
    .option("--host <host>", "address to bind (loopback)", "127.0.0.1")
    .option("--port <n>", "router port", toPort, 8080)
    .option("--control-port <n>", "fault-control API port", toPort, 8079)
    .option("--region-ports <a,b>", "the two regions' ports (default: free ports)")
    .option(
      "--client-location <loc>",
      "where clients are, e.g. ireland (default: the active region's location)",
    )
    .option(
      "--router-location <loc>",
      "where the router runs, e.g. ohio (default: the active region's location; an aws-region-outage there takes it down)",
    )
    .option(
      "--latency-table <name|file>",
      "latency table: inter-region, table11, or a JSON/CSV file",
      "inter-region",
    )
    .addHelpText(
      "after",
      "\nWhile it runs, change things with `failover fault ...` (see `failover fault --help`) and point k6 at the\n" +
        "router. Ctrl-C stops everything. Each router decision prints as it happens, one line each:\n" +
        "detected, recovered, promoted, failback, fenced (the old active's epoch ended), adopted, blocked, ...\n" +
        "With --log json they are one JSON object a line on stdout and the banner goes to stderr.\n\n" +
        "The memory store (the default) forgets everything when the stack stops. --store dynamodb keeps the\n" +
        "data in DynamoDB Local tables named by --table-prefix, so a restart with the same flags finds it\n" +
        "again; add --fresh to start empty.",
    )
    .action(async (flags) => {
      const { stackOptionsFromFlags } = await import("../../stack/stack-from-flags.ts");
      const { startStack } = await import("../../stack/start-stack.ts");
      const { CliError, UsageError } = await import("../../core/cli-error.ts");
      const { ConfigError } = await import("../../config/config-error.ts");
      const { controlReplicas } = await import("../../config/schema.ts");
      if (!/^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(flags.host)) {
        throw new UsageError(`--host must be a loopback address; got ${flags.host}`);
      }
      const options = await stackOptionsFromFlags(flags);
      const stack = await startStack(options).catch((error: Error) => {
        throw error instanceof ConfigError ? error : new CliError(error.message);
      });
      const [a, b] = options.config.regions;
      const routerLocation = options.routerLocation!;
      const json = flags.log === "json";
      const out = json ? process.stderr : process.stdout;
      out.write(
        `router      ${stack.routerUrl}   (in ${routerLocation}; clients in ${options.clientLocation})\n`,
      );
      for (const r of options.config.regions)
        out.write(`${r.name.padEnd(11)} ${stack.regionUrls[r.name]}   (${r.location})\n`);
      out.write(`control     ${stack.controlUrl}   (faults: failover fault --help)\n`);
      const replicas = controlReplicas(options.config).map((r) => `control-${r.awsRegion}@${r.location}`);
      out.write(
        `control plane ${replicas.join(", ")} (the record's replicas; routers and regions call the nearest)\n`,
      );
      out.write(`admin token ${options.adminToken}\n`);
      out.write(
        `latency     client->router ${rtt(options, options.clientLocation, routerLocation)} ms RTT, ` +
          `${a!.name}<->${b!.name} ${rtt(options, a!.location, b!.location)} ms RTT (table ${options.latency.name})\n`,
      );
      out.write(
        `replication ${options.config.replication.mode}, store ${options.config.store.kind}. Ctrl-C to stop.\n`,
      );
      const { watchDecisions, formatEvent } = await import("../../stack/decision-feed.ts");
      const stopWatching = watchDecisions(
        async () => {
          const { router } = (await stack.status()) as {
            router: { decisions: import("../../router/decision-log.ts").Decision[]; activeRegion?: string };
          };
          return { decisions: router.decisions, activeRegion: router.activeRegion };
        },
        (event) => process.stdout.write(`${json ? JSON.stringify(event) : formatEvent(event)}\n`),
      );
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      stopWatching();
      out.write("stopping...\n");
      await stack.close();
    });
}

function rtt(
  options: { latency: { roundTrip(a: string, b: string): { rttMs: number } } },
  a: string,
  b: string,
): number {
  return options.latency.roundTrip(a, b).rttMs;
}

/** Commander reports an InvalidArgumentError as "option '--port <n>' argument '70000' is invalid. ...". */
function toPort(value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n > 65535)
    throw new InvalidArgumentError("want a port number, 0-65535 (0: any free port).");
  return n;
}
