import type { Command } from "commander";
import { CliError, UsageError } from "../../core/cli-error.ts";
import { envFromOption } from "../env-option.ts";

interface TargetFlags {
  region: string;
  env?: string;
  stack?: string;
}

/** Where the region holding the orphans is, who may sign for it, and where writes go. */
async function resolveTargets(flags: TargetFlags) {
  const { liveStackReplicationKey, resolveReplicationKey } = await import(
    "../../regions/replication/auth/replication-key.ts"
  );
  if (flags.stack !== undefined) {
    const response = await fetch(`${flags.stack}/status`).catch((error: Error) => {
      throw new CliError(`cannot reach the stack's control API at ${flags.stack}: ${error.message}`);
    });
    const status = (await response.json()) as {
      regions: { name: string; url: string; replicationUrl: string }[];
    };
    const holder = status.regions.find((r) => r.name === flags.region);
    const peer = status.regions.find((r) => r.name !== flags.region);
    if (!holder || !peer) {
      throw new CliError(
        `no region "${flags.region}" in the stack (${status.regions.map((r) => r.name).join(", ")})`,
      );
    }
    const urls = new Map(status.regions.map((r) => [r.name, r.url]));
    return {
      holder: {
        name: holder.name,
        url: holder.url,
        replicationUrl: holder.replicationUrl,
        peerName: peer.name,
      },
      writeUrlOf: (name: string) => urls.get(name),
      key: liveStackReplicationKey(process.env),
    };
  }
  const { loadEnvironment } = await import("../../config/load-config.ts");
  const { replicationEndpointOf } = await import("../../regions/service/replication-endpoints.ts");
  const { secretsManagerFetcher } = await import("../../regions/replication/auth/replication-key-secret.ts");
  const config = loadEnvironment(envFromOption(flags.env));
  const region = config.regions.find((r) => r.name === flags.region);
  const peer = config.regions.find((r) => r.name !== flags.region);
  if (!region || !peer) {
    throw new UsageError(
      `no region "${flags.region}" in ${config.name} (${config.regions.map((r) => r.name).join(", ")})`,
    );
  }
  const key = await resolveReplicationKey(config, {
    env: process.env,
    awsRegion: region.awsRegion,
    fetchSecret: secretsManagerFetcher(
      config.aws?.profile !== undefined ? { profile: config.aws.profile } : {},
    ),
  });
  const origin = (url: string) => url.replace(/\/+$/, "");
  return {
    holder: {
      name: region.name,
      url: origin(region.endpoint),
      replicationUrl: origin(replicationEndpointOf(config, region)),
      peerName: peer.name,
    },
    writeUrlOf: (name: string) => {
      const r = config.regions.find((x) => x.name === name);
      return r ? origin(r.endpoint) : undefined;
    },
    key,
  };
}

function targetOptions(command: Command): Command {
  return command
    .requiredOption(
      "--region <name>",
      "the region holding the orphaned writes (the former active), e.g. prod-us",
    )
    .option(
      "--env <name>",
      "environment whose endpoints to use (default: $USER_ENV_NAME, $ENV_NAME, else development)",
    )
    .option(
      "--stack <control-url>",
      "a running `failover up` stack, by its control API (e.g. http://127.0.0.1:8079)",
    );
}

export function register(program: Command): void {
  const orphans = program
    .command("orphans")
    .description(
      "List, export and re-apply orphaned writes (acknowledged, then lost when a former active rejoined)",
    )
    .addHelpText(
      "after",
      "\nExamples:\n  failover orphans list --region prod-us --stack http://127.0.0.1:8079\n" +
        "  failover orphans export --region prod-us --env production --out orphans.ndjson\n" +
        "  failover orphans reapply --region prod-us --id e0000000000000001-s0000000000000042 --stack http://127.0.0.1:8079\n" +
        "\nreapply sends each chosen write through the active region's ordinary write path (a PUT of the\n" +
        "orphan's data, or its DELETE): a new log entry, replicated like any write. It overwrites what the\n" +
        "active region holds for that item now, so it asks first (--yes for scripts).",
    );

  targetOptions(orphans.command("list").description("Print a region's orphaned writes as a table"))
    .option("--json", "print JSON instead of a table")
    .action(async (flags: TargetFlags & { json?: boolean }) => {
      const { listAllOrphans } = await import("../../regions/replication/orphans-client.ts");
      const { holder } = await resolveTargets(flags);
      const list = await listAllOrphans(holder).catch(asCliError);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${list.length} orphaned write(s) on ${holder.name}\n`);
      if (list.length === 0) return;
      const rows = list.map((o) => [
        o.id,
        String(o.epoch),
        String(o.seq),
        o.origin,
        new Date(o.atMs).toISOString(),
        o.kind,
        o.itemId,
        o.reapplied ? `${o.reapplied.region} seq ${o.reapplied.seq}` : "-",
      ]);
      const header = ["id", "epoch", "seq", "origin", "accepted at", "op", "item", "re-applied"];
      const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
      for (const row of [header, ...rows]) {
        process.stdout.write(
          `${row
            .map((cell, i) => cell.padEnd(widths[i]!))
            .join("  ")
            .trimEnd()}\n`,
        );
      }
    });

  targetOptions(
    orphans.command("export").description("Write a region's orphaned writes as NDJSON (one per line)"),
  )
    .option("--out <file>", "file to write (default: stdout)")
    .action(async (flags: TargetFlags & { out?: string }) => {
      const { listAllOrphans } = await import("../../regions/replication/orphans-client.ts");
      const { holder } = await resolveTargets(flags);
      const list = await listAllOrphans(holder).catch(asCliError);
      const text = list.map((o) => JSON.stringify(o)).join("\n") + (list.length ? "\n" : "");
      if (flags.out === undefined) process.stdout.write(text);
      else {
        const { writeFileSync } = await import("node:fs");
        writeFileSync(flags.out, text);
        process.stdout.write(`${list.length} orphaned write(s) of ${holder.name} written to ${flags.out}\n`);
      }
    });

  targetOptions(
    orphans.command("reapply").description("Re-apply chosen orphaned writes through the active region"),
  )
    .option("--id <id...>", "orphan ids to re-apply (see `orphans list`)")
    .option("--all", "every orphan not re-applied yet")
    .option("--yes", "do not ask for confirmation (scripts)")
    .action(async (flags: TargetFlags & { id?: string[]; all?: boolean; yes?: boolean }) => {
      const client = await import("../../regions/replication/orphans-client.ts");
      const { holder, writeUrlOf, key } = await resolveTargets(flags);
      if (!flags.all && !flags.id?.length) throw new UsageError("choose orphans with --id <id...> or --all");
      const list = await client.listAllOrphans(holder).catch(asCliError);
      const chosen = flags.all
        ? list.filter((o) => !o.reapplied)
        : list.filter((o) => flags.id!.includes(o.id));
      const unknown = (flags.id ?? []).filter((id) => !list.some((o) => o.id === id));
      if (unknown.length) throw new UsageError(`no orphan ${unknown.join(", ")} on ${holder.name}`);
      const done = chosen.filter((o) => o.reapplied);
      if (done.length) throw new CliError(`already re-applied: ${done.map((o) => o.id).join(", ")}`);
      if (chosen.length === 0) {
        process.stdout.write("nothing to re-apply\n");
        return;
      }
      const status = await client.regionStatus(holder.url).catch(asCliError);
      const active = status.activeRegion;
      const writeUrl = active === null ? undefined : writeUrlOf(active);
      if (active === null || status.epoch === null || writeUrl === undefined) {
        throw new CliError(`${holder.name} does not know the active region; try again`);
      }
      for (const o of chosen) {
        process.stdout.write(
          `${o.id}: ${o.kind} ${o.itemId} (accepted ${new Date(o.atMs).toISOString()} in epoch ${o.epoch})\n`,
        );
      }
      if (!flags.yes && !(await confirm(`Re-apply ${chosen.length} write(s) through ${active}? [y/N] `))) {
        throw new UsageError("not confirmed; nothing was re-applied (pass --yes to skip the question)");
      }
      for (const orphan of chosen) {
        const outcome = await client.reapplyWrite(orphan, writeUrl, status.epoch).catch(asCliError);
        if (outcome.kind === "nothing_to_delete") {
          process.stdout.write(`${orphan.id}: ${orphan.itemId} is already absent on ${active}; not marked\n`);
          continue;
        }
        await client.markReapplied(holder, orphan.id, outcome, key, Date.now()).catch(asCliError);
        process.stdout.write(`${orphan.id}: re-applied on ${outcome.region} as seq ${outcome.seq}\n`);
      }
    });
}

/** Asks on the terminal; without one (a pipe, CI), the answer is no. */
async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

function asCliError(error: Error): never {
  throw new CliError(error.message);
}
