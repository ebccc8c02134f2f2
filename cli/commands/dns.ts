import type { Command } from "commander";
import { commandGroup } from "../command-group.ts";

interface DnsFlags {
  env?: string;
  config?: string;
  yes?: boolean;
  force?: boolean;
  json?: boolean;
}

const ENV_HELP =
  "environment (default: $USER_ENV_NAME, $ENV_NAME, else development; changes to production need --env production)";

export function register(program: Command): void {
  const dns = commandGroup(program, "dns", "Operate Route 53 DNS failover in front of the routers");
  dns
    .command("status")
    .description("Each region's health-check status, and which record Route 53 is answering with")
    .option("--env <name>", ENV_HELP)
    .option("--config <file>", "use this config file instead of regions/environments/<env>.json")
    .option("--json", "print the state (records, health checks, what Route 53 answers) as JSON")
    .action(async (flags: DnsFlags) => {
      const { runDnsCommand } = await import("../../deploy/cli-support/run-dns-command.ts");
      await runDnsCommand({ kind: "status" }, flags);
    });
  dns
    .command("failover")
    .description("Move DNS traffic to the standby by inverting the primary's health check (no record edit)")
    .requiredOption("--to <region>", "the region to send traffic to, e.g. prod-ie")
    .option("--env <name>", ENV_HELP)
    .option("--config <file>", "use this config file instead of regions/environments/<env>.json")
    .option("--yes", "do it without asking (required when standard input is not a terminal)")
    .option("--force", "even if the target's health check reports it unhealthy")
    .action(async (flags: DnsFlags & { to: string }) => {
      const { runDnsCommand } = await import("../../deploy/cli-support/run-dns-command.ts");
      await runDnsCommand({ kind: "failover", to: flags.to, force: flags.force === true }, flags);
    });
  dns
    .command("failback")
    .description("Send DNS traffic back to the primary by turning the inversion off")
    .option("--env <name>", ENV_HELP)
    .option("--config <file>", "use this config file instead of regions/environments/<env>.json")
    .option("--yes", "do it without asking (required when standard input is not a terminal)")
    .action(async (flags: DnsFlags) => {
      const { runDnsCommand } = await import("../../deploy/cli-support/run-dns-command.ts");
      await runDnsCommand({ kind: "failback", force: false }, flags);
    });
}
