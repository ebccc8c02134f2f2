import type { Command } from "commander";

/**
 * Returns the program's subcommand `name`, creating it once. Several command files add to one
 * group (e.g. `serve region` and `serve router`), each without knowing about the others.
 */
export function commandGroup(program: Command, name: string, description: string): Command {
  const existing = program.commands.find((c) => c.name() === name);
  if (existing) return existing;
  return program.command(name).description(description);
}
