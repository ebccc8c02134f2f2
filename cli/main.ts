import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { runCli } from "./run-cli.ts";

/**
 * `failover`: one CLI, one file per command group in ./commands. Each file exports
 * `register(program)` and imports anything heavy (AWS SDK, simulator) inside its action,
 * so `failover --help` stays fast. Adding a command means adding a file.
 */
export interface CommandModule {
  register(program: Command): void;
}

const program = new Command("failover")
  .description("Run a service in two regions in active/standby, and rehearse its failures.")
  .configureHelp({ sortSubcommands: true });

const commandsDir = join(dirname(fileURLToPath(import.meta.url)), "commands");
const files = readdirSync(commandsDir)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
  .sort();
for (const file of files) {
  const module = (await import(join(commandsDir, file))) as CommandModule;
  module.register(program);
}

await runCli(program, process.argv);
