import type { Command } from "commander";
import { CliError, UsageError } from "../../core/cli-error.ts";

const ROUTER_DEFAULT = "http://127.0.0.1:8080";

/**
 * `failover promote REGION`: an operator moves the active role through a router's admin API.
 * In sync mode a region that is not recorded as the synchronous standby may lack acknowledged
 * writes (Patroni's rule; router/policy/failover-policy.ts): the router refuses and says how far
 * behind it is known to be, unless `--accept-data-loss` says the operator takes that loss.
 */
export function register(program: Command): void {
  program
    .command("promote <region>")
    .description("Make REGION the active region now, through a router's admin API")
    .option(
      "--router <url>",
      "the router to ask (FAILOVER_ROUTER)",
      process.env.FAILOVER_ROUTER ?? ROUTER_DEFAULT,
    )
    .option("--token <token>", "the router's admin token (default: FAILOVER_ADMIN_TOKEN)")
    .option("--reason <text>", "why, for the decision log")
    .option("--force", "promote even if the router's health checks say REGION is unhealthy")
    .option(
      "--accept-data-loss",
      "sync mode: promote REGION although it is not recorded as holding every acknowledged write",
    )
    .addHelpText(
      "after",
      "\nExit 0 promoted (or already active), 1 refused by the router, 2 bad usage.\n" +
        "Examples:\n  failover promote prod-ie --reason 'drill'\n" +
        "  failover promote prod-ie --accept-data-loss   # prod-us is gone and prod-ie was not in sync\n",
    )
    .action(async (regionName: string, opts: Record<string, string | boolean | undefined>) => {
      const token = (opts.token as string | undefined) ?? process.env.FAILOVER_ADMIN_TOKEN;
      if (!token) throw new UsageError("no admin token: pass --token or set FAILOVER_ADMIN_TOKEN");
      const body: Record<string, unknown> = { region: regionName };
      if (opts.reason) body.reason = opts.reason;
      if (opts.force) body.force = true;
      if (opts.acceptDataLoss) body.acceptDataLoss = true;
      const url = `${String(opts.router).replace(/\/+$/, "")}/_router/promote`;
      let response: Response;
      try {
        response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (error) {
        throw new CliError(`cannot reach the router at ${url}: ${(error as Error).message}`);
      }
      const answer = (await response.json().catch(() => ({}))) as {
        result?: string;
        record?: { activeRegion: string; epoch: number };
        error?: string;
        detail?: string;
      };
      if (response.ok && answer.record) {
        const { activeRegion, epoch } = answer.record;
        process.stdout.write(`${answer.result}: ${activeRegion} is active (epoch ${epoch})\n`);
        return;
      }
      const why = `${answer.error ?? `HTTP ${response.status}`}: ${answer.detail ?? "no detail"}`;
      if (response.status === 400) throw new UsageError(`the router refused the request: ${why}`);
      throw new CliError(`not promoted: ${why}`);
    });
}
