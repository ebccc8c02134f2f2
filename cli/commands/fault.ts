import type { Command } from "commander";
import { z } from "zod";
import { CliError, UsageError } from "../../core/cli-error.ts";
import { argumentParams, FAULT_DEFINITIONS, type FaultDefinition } from "../../core/faults/index.ts";
import { parseDurationMs } from "../duration.ts";

const CONTROL_DEFAULT = "http://127.0.0.1:8079";

interface ParamOption {
  /** The parameter it sets, e.g. addedLatencyMs. */
  param: string;
  /** Commander's key for it, e.g. addedLatency. */
  key: string;
  flags: string;
  help: string;
  parse(value: string | boolean): unknown;
}

/**
 * A kind's parameters as options, named from the parameter without its unit: addedLatencyMs is
 * `--added-latency <duration>` (500ms, 2s), periodS is `--period <duration>`. No defaults here:
 * what is not given, the stack fills from the definition (core/faults/), as a scenario would.
 */
function optionsOf(definition: FaultDefinition, filledByArgument: string[]): ParamOption[] {
  return Object.entries(definition.params)
    .filter(([param]) => !filledByArgument.includes(param))
    .map(([param, field]) => {
      const schema = field as z.ZodType;
      const unit = /(Ms|S)$/.exec(param)?.[1];
      const base = unit ? param.slice(0, -unit.length) : param;
      const flag = `--${base.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      const inner = unwrap(schema);
      const help = describeParam(param, schema, inner);
      if (inner instanceof z.ZodBoolean) {
        return { param, key: base, flags: flag, help, parse: () => true };
      }
      if (inner instanceof z.ZodNumber && unit) {
        const toUnit = unit === "Ms" ? 1 : 1000;
        return {
          param,
          key: base,
          flags: `${flag} <duration>`,
          help,
          parse: (v: string | boolean) => parseDurationMs(String(v), flag) / toUnit,
        };
      }
      if (inner instanceof z.ZodNumber) {
        return {
          param,
          key: base,
          flags: `${flag} <n>`,
          help,
          parse: (v: string | boolean) => {
            const n = /^\d+(\.\d+)?$/.test(String(v)) ? Number(v) : Number.NaN;
            if (Number.isNaN(n)) throw new Error(`${flag} must be a number; got "${String(v)}"`);
            return n;
          },
        };
      }
      return { param, key: base, flags: `${flag} <value>`, help, parse: (v: string | boolean) => String(v) };
    });
}

function unwrap(schema: z.ZodType): z.ZodType {
  let inner = schema;
  while (inner instanceof z.ZodDefault || inner instanceof z.ZodOptional) inner = inner.unwrap() as z.ZodType;
  return inner;
}

/** "share of requests answered 503 (0 to 1, default 0.1)", from the definition's schema. */
function describeParam(param: string, schema: z.ZodType, inner: z.ZodType): string {
  const parts: string[] = [];
  const unit = param.endsWith("Ms") ? " ms" : param.endsWith("S") ? " s" : "";
  if (inner instanceof z.ZodNumber && inner.minValue !== null && inner.maxValue !== null)
    parts.push(`${inner.minValue} to ${inner.maxValue}${unit}`);
  if (inner instanceof z.ZodEnum) parts.push(inner.options.join(" or "));
  const parsed = schema.safeParse(undefined);
  if (parsed.success && parsed.data !== undefined) parts.push(`default ${String(parsed.data)}${unit}`);
  const text = schema.description ?? inner.description ?? "";
  return parts.length ? `${text} (${parts.join(", ")})`.trim() : text;
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
      "\nEach command is a fault kind of core/faults/ (the simulator's scenarios use the same kinds and\n" +
        "parameters): the kind's name works as well as the verb, e.g. `fault region-down prod-us`.\n" +
        "\nExamples:\n  failover fault down prod-us --for 30s\n  failover fault hang prod-us\n" +
        "  failover fault brownout prod-us --error-rate 0.2 --added-latency 300ms --for 1m\n" +
        "  failover fault partition prod-us<->prod-ie --for 20s\n  failover fault aws-region-outage us-east-1 --for 30s\n" +
        "  failover fault heal\n  failover fault list",
    );

  for (const definition of FAULT_DEFINITIONS.values()) {
    const { verb, argument, fromArgument } = definition.cli;
    const cmd = fault
      .command(argument ? `${verb} <${argument}>` : verb)
      .description(definition.summary)
      .option("--for <duration>", "heal by itself after this long (e.g. 30s, 2m)");
    if (verb !== definition.kind) cmd.alias(definition.kind);
    // The parameters the argument fills get no option of their own (partition's A->B fills both).
    const options = optionsOf(definition, argumentParams(definition));
    for (const option of options) cmd.option(option.flags, option.help);
    cmd.action(async (...args: unknown[]) => {
      const target = argument ? (args[0] as string) : undefined;
      const opts = (argument ? args[1] : args[0]) as Record<string, string | boolean | undefined>;
      const body: Record<string, unknown> = { kind: definition.kind };
      try {
        if (target !== undefined && fromArgument) Object.assign(body, fromArgument(target));
        for (const option of options) {
          const value = opts[option.key];
          if (value === undefined) {
            // A parameter with no default must be given: say which flag, before calling any stack.
            if (!(definition.params[option.param] as z.ZodType).safeParse(undefined).success)
              throw new Error(`${option.flags.split(" ")[0]} is required: ${option.help}`);
            continue;
          }
          const parsed = option.parse(value);
          // The definition's limits, checked here too, so a bad value is a usage error before
          // any stack is called (the stack checks them again).
          if (!(definition.params[option.param] as z.ZodType).safeParse(parsed).success)
            throw new Error(`${option.flags.split(" ")[0]}: want ${option.help}; got "${String(value)}"`);
          body[option.param] = parsed;
        }
        if (typeof opts.for === "string") body.durationS = parseDurationMs(opts.for, "--for") / 1000;
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      const result = await call(fault.opts().control, "POST", "/faults", body);
      const healsAt = result.healsAtMs
        ? ` until ${new Date(result.healsAtMs as number).toISOString()}`
        : " until healed";
      process.stdout.write(`fault ${result.id}: ${definition.kind}${target ? ` ${target}` : ""}${healsAt}\n`);
    });
  }

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

function targetParamsOf(kind: string): string[] {
  const definition = FAULT_DEFINITIONS.get(kind);
  return definition ? argumentParams(definition) : [];
}

/** `id  kind  target  time left  parameters`, the parameters as words (`errorRate 0.2`), not JSON. */
function faultTable(faults: readonly (ListedFault & { secondsLeft: number | null })[]): string {
  const rows = faults.map((f) => {
    const { durationS: _d, kind: _k, ...rest } = f.params;
    // The target is what the command's argument filled (core/faults/: region, awsRegion, between).
    const targetParams = targetParamsOf(f.kind);
    const target =
      targetParams
        .map((k) => rest[k])
        .filter((v) => v !== undefined && typeof v !== "boolean")
        .map((v) => (Array.isArray(v) ? v.join(rest.oneWay ? "->" : "<->") : String(v)))
        .join(" ") || "-";
    const others = Object.entries(rest)
      .filter(([k]) => !targetParams.includes(k))
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
