import type { Command } from "commander";
import { parseDurationMs } from "../duration.ts";
import { CliError } from "../run-cli.ts";

const CONTROL_DEFAULT = "http://127.0.0.1:8079";

function errorRate(text: string): number {
  const rate = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!(rate >= 0 && rate <= 1))
    throw new Error(`--error-rate must be a share between 0 and 1, e.g. 0.2; got "${text}"`);
  return rate;
}

/** The parameter a command's <target> fills: the same name the simulator's scenario uses. */
function targetField(kind: string, target: string): string {
  if (kind === "partition") return "link";
  if (kind === "aws-region-outage") return "awsRegion";
  if (kind === "store-latency-spike") return "region";
  // A replica's name (control-us-east-2, witness-us-west-2), else every replica in an AWS region.
  if (kind === "control-replica-slow") return /^(control|witness)-/.test(target) ? "replica" : "awsRegion";
  return "target";
}

/** Kinds whose --added-latency is required (their whole point) rather than defaulting to 0. */
const LATENCY_KINDS = new Set(["control-replica-slow", "store-latency-spike"]);

export function register(program: Command): void {
  const fault = program
    .command("fault")
    .description("Inject and heal faults in a running `failover up` stack")
    .option("--control <url>", "the stack's control API", CONTROL_DEFAULT)
    .addHelpText(
      "after",
      "\nExamples:\n  failover fault down prod-us --for 30s\n  failover fault hang prod-us\n" +
        "  failover fault brownout prod-us --error-rate 0.2 --added-latency 300ms --for 1m\n" +
        "  failover fault partition prod-us<->prod-ie --for 20s\n  failover fault aws-region-outage us-east-1 --for 30s\n" +
        "  failover fault control-replica-slow control-us-east-2 --added-latency 500ms --for 1m\n" +
        "  failover fault store-latency-spike prod-us --added-latency 300ms --jitter 100ms --for 1m\n" +
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
    if (LATENCY_KINDS.has(kind))
      cmd.requiredOption("--added-latency <duration>", "added to every call, e.g. 500ms");
    if (kind === "store-latency-spike")
      cmd.option("--jitter <duration>", "up to this much more per call, drawn uniformly", "0ms");
    cmd.action(async (...args: unknown[]) => {
      const target = withTarget ? (args[0] as string) : undefined;
      const opts = (withTarget ? args[1] : args[0]) as Record<string, string | undefined>;
      const body: Record<string, unknown> = { kind };
      if (target !== undefined) body[targetField(kind, target)] = target;
      try {
        if (opts.for) body.durationS = parseDurationMs(opts.for, "--for") / 1000;
        if (kind === "brownout") {
          body.errorRate = errorRate(opts.errorRate ?? "0.1");
          body.addedLatencyMs = parseDurationMs(opts.addedLatency ?? "0ms", "--added-latency");
        }
        if (kind === "flapping") body.periodS = parseDurationMs(opts.period ?? "10s", "--period") / 1000;
        if (LATENCY_KINDS.has(kind))
          body.addedLatencyMs = parseDurationMs(opts.addedLatency ?? "0ms", "--added-latency");
        if (kind === "store-latency-spike") body.jitterMs = parseDurationMs(opts.jitter ?? "0ms", "--jitter");
      } catch (error) {
        throw new CliError((error as Error).message);
      }
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

  inject(
    "control-replica-slow",
    "control-replica-slow",
    "A control replica answers late (<target>: a replica, e.g. control-us-east-2, or an AWS region, e.g. us-east-2)",
  );
  inject("store-latency-spike", "store-latency-spike", "Every call to the region's store takes longer");

  fault
    .command("heal [id]")
    .description("Heal one fault by id, or all of them")
    .action(async (id: string | undefined) => {
      const result = await call(fault.opts().control, "DELETE", id ? `/faults/${id}` : "/faults");
      const healed = result.healed as { id: number; kind: string }[];
      process.stdout.write(
        healed.length ? healed.map((f) => `healed ${f.id}: ${f.kind}\n`).join("") : "nothing to heal\n",
      );
    });
  fault
    .command("list")
    .description("List active faults")
    .action(async () => {
      const result = await call(fault.opts().control, "GET", "/faults");
      const active = result.active as { id: number; kind: string; params: unknown }[];
      process.stdout.write(
        active.length
          ? active.map((f) => `${f.id}: ${f.kind} ${JSON.stringify(f.params)}\n`).join("")
          : "no active faults\n",
      );
    });
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
  if (!response.ok) throw new CliError(`${json.error}: ${json.detail}`);
  return json;
}
