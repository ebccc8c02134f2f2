import type { Command } from "commander";

interface DeployFlags {
  env?: string;
  config?: string;
  dryRun?: boolean;
  yes?: boolean;
  requestIntervalS?: string;
  failureThreshold?: string;
  artifact?: string;
  json?: boolean;
  out?: string;
  detailedExitcode?: boolean;
}

const ENV_HELP = "environment; production is only ever changed when named here (never from ENV_NAME)";

export function register(program: Command): void {
  const deploy = program
    .command("deploy")
    .description(
      "Plan, then apply, an environment's AWS resources: DynamoDB tables, Route 53 failover DNS, and the router in each region (Lambda, Function URL, latency records)",
    )
    .option("--env <name>", ENV_HELP)
    .option(
      "--config <file>",
      "use this config file for the environment instead of regions/environments/<env>.json",
    )
    .option("--dry-run", "print the plan and stop; nothing is changed")
    .option("--yes", "apply without asking (required when standard input is not a terminal)")
    .option(
      "--request-interval-s <s>",
      "health-check interval for this run: 10 or 30 (Route 53 accepts nothing else)",
    )
    .option("--failure-threshold <n>", "health-check failure threshold for this run: 1-10")
    .option(
      "--artifact <zip>",
      "deploy this built router package (default: build dist/router-lambda.zip now)",
    )
    .option("--json", "print the plan as JSON on stdout (messages go to stderr)")
    .option(
      "--out <file>",
      "save the plan to <file> and stop; `failover deploy apply <file>` applies exactly it",
    )
    .option(
      "--detailed-exitcode",
      "with --dry-run or --out: exit 0 no changes, 2 changes, 1 error (as tofu plan)",
    )
    .addHelpText(
      "after",
      "\nCredentials: the AWS default chain; AWS_PROFILE, else the config's aws.profile; then aws.assumeRoleArn if set.\n" +
        "Endpoints for stand-ins (moto, DynamoDB Local): FAILOVER_ROUTE53_ENDPOINT, FAILOVER_STS_ENDPOINT,\n" +
        "FAILOVER_DYNAMODB_ENDPOINT, FAILOVER_LAMBDA_ENDPOINT, FAILOVER_IAM_ENDPOINT, FAILOVER_SSM_ENDPOINT.\n" +
        "See deploy/README.md.",
    )
    .action(async (flags: DeployFlags) => {
      const { runDeployCommand } = await import("../../deploy/cli-support/run-deploy-command.ts");
      await runDeployCommand(flags);
    });

  // The parent's options (--env, --yes, --dry-run, --json, ...) are parsed by `deploy` wherever
  // they appear, so the subcommands read them through optsWithGlobals() and help shows them.
  deploy
    .command("destroy")
    .description(
      "Plan, then delete, what deploy created for an environment (tables that hold items only with --delete-data)",
    )
    .option("--delete-data", "also delete tables that hold items, and their items")
    .configureHelp({ showGlobalOptions: true })
    .action(async (_flags: unknown, command: Command) => {
      const { runDestroyCommand } = await import("../../deploy/cli-support/run-deploy-command.ts");
      await runDestroyCommand(command.optsWithGlobals<DeployFlags & { deleteData?: boolean }>());
    });

  deploy
    .command("apply <plan>")
    .description(
      "Apply a plan saved with `failover deploy --out <plan>`: exactly it, or nothing if AWS changed since",
    )
    .configureHelp({ showGlobalOptions: true })
    .action(async (file: string, _flags: unknown, command: Command) => {
      const { runApplyCommand } = await import("../../deploy/cli-support/run-deploy-command.ts");
      await runApplyCommand(file, command.optsWithGlobals<DeployFlags>());
    });
}
