import type { Command } from "commander";
import { CliError, UsageError } from "../../core/cli-error.ts";
import { parseDurationMs } from "../duration.ts";

const CONTROL_DEFAULT = "http://127.0.0.1:8079";

function errorRate(text: string): number {
  const rate = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!(rate >= 0 && rate <= 1))
    throw new UsageError(`--error-rate must be a share between 0 and 1, e.g. 0.2; got "${text}"`);
  return rate;
}

/** The parameter a command's <target> fills: the same name the simulator's scenario uses. */
function targetField(kind: string): string {
  if (kind === "partition") return "link";
  if (kind === "aws-region-outage") return "awsRegion";
  return "target";
}

export function register(program: Command): void {
  const fault = program
    .command("fault")
    .description("Inject and heal faults in a running `failover up` stack")
    .option(
      "--control <url>",
      "the stack's control API (default: $FAILOVER_CONTROL, else http://127.0.0.1:8079)",
      process.env.FAILOVER_CONTROL || CONTROL_DEFAULT,
    )
    .addHelpText(
      "after",
      "\nExamples:\n  failover fault down prod-us --for 30s\n  failover fault hang prod-us\n" +
        "  failover fault brownout prod-us --error-rate 0.2 --added-latency 300ms --for 1m\n" +
        "  failover fault partition prod-us<->prod-ie --for 20s\n  failover fault aws-region-outage us-east-1 --for 30s\n" +
        "  failover fault heal\n  failover fault list",
    );

  const inject = (name: string, kind: string, description: string, withTarget = true) => {
    const cmd = fault.command(withTarget ? `${name} <target>` : name).description(description);
    cmd.option("--for <duration>", "heal by itself after this long (e.g. 30s, 2m)");
    if (kind === "brownout") {
      cmd.option("--error-rate <0..1>", "share of requests answered 503", "0.1");
      cmd.option("--added-latency <duration>", "extra latency on every request", "0ms");
    }
    if (kind === "flapping") cmd.option("--period <duration>", "one down+up cycle", "10s");
    cmd.action(async (...args: unknown[]) => {
      const target = withTarget ? (args[0] as string) : undefined;
      const opts = (withTarget ? args[1] : args[0]) as Record<string, string | undefined>;
      const body: Record<string, unknown> = { kind };
      if (target !== undefined) body[targetField(kind)] = target;
      if (opts.for) body.durationS = parseDurationMs(opts.for, "--for") / 1000;
      if (kind === "brownout") {
        body.errorRate = errorRate(opts.errorRate ?? "0.1");
        body.addedLatencyMs = parseDurationMs(opts.addedLatency ?? "0ms", "--added-latency");
      }
      if (kind === "flapping") body.periodS = parseDurationMs(opts.period ?? "10s", "--period") / 1000;
      const result = await call(fault.opts().control, "POST", "/faults", body);
      const healsAt = result.healsAtMs
        ? ` until ${new Date(result.healsAtMs as number).toISOString()}`
        : " until healed";
      process.stdout.write(`fault ${result.id}: ${kind}${target ? ` ${target}` : ""}${healsAt}\n`);
    });
  };
  inject("down", "region-down", "The region refuses connections");
  inject("hang", "region-hang", "The region accepts connections and never answers");
  inject("brownout", "brownout", "The region answers slower and fails a share of requests");
  inject("partition", "partition", "A link drops everything: client->router, router->REGION, A->B or A<->B");
  inject("store-down", "store-down", "The region's store stops answering");
  inject("flap", "flapping", "The region goes down and up over and over");
  inject("pause-replication", "replication-paused", "Replication between the regions stops", false);
  inject("restart-router", "router-restart", "The router restarts, losing its health state", false);
  inject(
    "aws-region-outage",
    "aws-region-outage",
    "A whole AWS region fails (<target>: e.g. us-east-1): its service region, store, control replicas and router",
  );

  fault
    .command("heal [id]")
    .description("Heal one fault by id, or all of them (asks first on a terminal; --all otherwise)")
    .option("--all", "heal every active fault without asking")
    .action(async (id: string | undefined, opts: { all?: boolean }) => {
      const control = fault.opts().control as string;
      if (id === undefined && !opts.all) await confirmHealAll(control);
      const result = await call(control, "DELETE", id ? `/faults/${id}` : "/faults");
      const healed = result.healed as { id: number; kind: string }[];
      process.stdout.write(
        healed.length ? healed.map((f) => `healed ${f.id}: ${f.kind}\n`).join("") : "nothing to heal\n",
      );
    });
  fault
    .command("list")
    .description("List active faults, with the time each has left")
    .option("--json", "print the faults as JSON (each with secondsLeft, null when it heals only by hand)")
    .action(async (opts: { json?: boolean }) => {
      const result = await call(fault.opts().control, "GET", "/faults");
      const active = withTimeLeft(result.active as ListedFault[], Date.now());
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(active, null, 2)}\n`);
        return;
      }
      process.stdout.write(active.length ? `${faultTable(active)}\n` : "no active faults\n");
    });
}

interface ListedFault {
  id: number;
  kind: string;
  params: Record<string, unknown>;
  startedAtMs?: number;
  healsAtMs: number | null;
}

function withTimeLeft(faults: readonly ListedFault[], nowMs: number) {
  return faults.map((f) => ({
    ...f,
    secondsLeft: f.healsAtMs === null ? null : Math.max(0, Math.round((f.healsAtMs - nowMs) / 100) / 10),
  }));
}

/** `id  kind  target  time left  parameters`, the parameters as words (`errorRate 0.2`), not JSON. */
function faultTable(faults: readonly (ListedFault & { secondsLeft: number | null })[]): string {
  const rows = faults.map((f) => {
    const { durationS: _d, ...rest } = f.params;
    const target = String(rest.target ?? rest.link ?? rest.awsRegion ?? "-");
    const others = Object.entries(rest)
      .filter(([k]) => !["target", "link", "awsRegion", "kind"].includes(k))
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
    const left = f.secondsLeft === null ? "until healed" : `${f.secondsLeft.toFixed(1)} s`;
    return [String(f.id), f.kind, target, left, others || "-"];
  });
  const header = ["id", "kind", "target", "time left", "parameters"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows]
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** `heal` with no id heals everything: on a terminal ask first; elsewhere insist on --all. */
async function confirmHealAll(control: string): Promise<void> {
  if (!process.stdin.isTTY) {
    throw new UsageError("heal which fault? give its id (failover fault list), or --all to heal every one");
  }
  const result = await call(control, "GET", "/faults");
  const count = (result.active as unknown[]).length;
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(`Heal all ${count} active fault(s)? [y/N] `);
  rl.close();
  if (!/^y(es)?$/i.test(answer.trim())) throw new UsageError("not confirmed; nothing was healed");
}

/** The control API answers within milliseconds; this only bounds a stack that hangs. */
const CALL_TIMEOUT_MS = 10_000;

async function call(
  control: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(`${control}${path}`, {
      method,
      headers: body ? { "content-type": "application/json" } : {},
      body: body ? JSON.stringify(body) : null,
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
  } catch (error) {
    if ((error as Error).name === "TimeoutError") {
      throw new CliError(`the stack at ${control} did not answer within ${CALL_TIMEOUT_MS / 1000} s`);
    }
    throw new CliError(`no stack answering at ${control}; start one with \`failover up\``);
  }
  let json: Record<string, unknown>;
  try {
    json = (await response.json()) as Record<string, unknown>;
  } catch {
    throw new CliError(
      `${control} answered ${response.status} without JSON; is it a \`failover up\` control API (--control)?`,
    );
  }
  // The control API answers 4xx for a request that names no such fault, region or link: bad input.
  if (response.status >= 400 && response.status < 500) throw new UsageError(`${json.error}: ${json.detail}`);
  if (!response.ok) throw new CliError(`${json.error}: ${json.detail}`);
  return json;
}
