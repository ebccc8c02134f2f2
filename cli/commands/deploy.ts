import type { Command } from "commander";

interface DeployFlags {
  env?: string;
  config?: string;
  dryRun?: boolean;
  yes?: boolean;
  requestIntervalS?: string;
  failureThreshold?: string;
}

export function register(program: Command): void {
  program
    .command("deploy")
    .description(
      "Plan, then apply, an environment's AWS resources: DynamoDB tables and Route 53 failover DNS",
    )
    .option(
      "--env <name>",
      "environment; production is only ever deployed when named here (never from ENV_NAME)",
    )
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
    .addHelpText(
      "after",
      "\nCredentials: the AWS default chain; AWS_PROFILE, else the config's aws.profile; then aws.assumeRoleArn if set.\n" +
        "Endpoints for stand-ins (moto, DynamoDB Local): FAILOVER_ROUTE53_ENDPOINT, FAILOVER_STS_ENDPOINT,\n" +
        "FAILOVER_DYNAMODB_ENDPOINT. See deploy/README.md.",
    )
    .action(async (flags: DeployFlags) => {
      const { runDeployCommand } = await import("../../deploy/cli-support/run-deploy-command.ts");
      await runDeployCommand(flags);
    });
}
