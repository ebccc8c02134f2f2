import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../core/free-port.ts";
import type { RunningStack } from "../../stack/start-stack.ts";
import { CLI_BOUND_MS, failoverOnce, STACK_FRAME } from "./support/cli-process.ts";
import { healFault, region, stackStatus } from "./support/control.ts";
import { portOf, tcpConnect } from "./support/http.ts";
import { startTestStack } from "./support/test-stack.ts";

// One stack for the file, started in this process; `failover fault` runs as a real process
// against its control API, as a user would from a second terminal.
let stack: RunningStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack.close();
});
// The stack is shared: a test that failed half-way leaves no fault behind for the next.
afterEach(async () => {
  await healFault(stack);
});

const fault = (...args: string[]) => failoverOnce(["fault", "--control", stack.controlUrl, ...args]);

describe("failover fault (a real process against a running stack)", () => {
  it("down --for, list, heal: the region really goes down and comes back", async () => {
    // Long enough that it cannot run out while the test's processes start on a loaded machine.
    const forS = 300;
    const downAtMs = Date.now();
    const down = await fault("down", "prod-us", "--for", `${forS}s`);
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(/^fault (\d+): region-down prod-us until \d{4}-\d\d-\d\dT/);
    expect(await tcpConnect(portOf(stack.regionUrls["prod-us"]!))).toBe("ECONNREFUSED");
    const id = /^fault (\d+)/.exec(down.stdout)![1];

    const list = await fault("list");
    expect(list.stdout).toMatch(
      new RegExp(`^id +kind +target +time left +parameters\n${id} +region-down +prod-us +\\d+\\.\\d s +-\n$`),
    );
    const listed = JSON.parse((await fault("list", "--json")).stdout) as {
      id: number;
      secondsLeft: number;
    }[];
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: Number(id), kind: "region-down", params: { region: "prod-us" } });
    // What is left is what was asked for less the time since (0.1 s: the list rounds).
    expect(listed[0]!.secondsLeft).toBeGreaterThanOrEqual(forS - (Date.now() - downAtMs) / 1000 - 0.1);
    expect(listed[0]!.secondsLeft).toBeLessThanOrEqual(forS);

    // Without an id and without a terminal to ask on, heal insists on --all (exit 2, nothing healed).
    const unasked = await fault("heal");
    expect(unasked.code).toBe(2);
    expect(unasked.stderr).toMatch(/^error: heal which fault\? give its id .*or --all/);
    expect((await stackStatus(stack)).faults).toHaveLength(1);

    const heal = await fault("heal", id!);
    expect(heal).toMatchObject({ code: 0, stdout: `healed ${id}: region-down\n` });
    expect(await tcpConnect(portOf(stack.regionUrls["prod-us"]!))).toBe("connected");
    expect((await fault("heal", "--all")).stdout).toBe("nothing to heal\n");
  });

  it("takes the control URL from FAILOVER_CONTROL", async () => {
    const listed = await failoverOnce(["fault", "list", "--json"], CLI_BOUND_MS, {
      FAILOVER_CONTROL: stack.controlUrl,
    });
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([]);
  });

  // Five real processes, each starting Node and tsx: on a loaded machine that alone passes 30 s
  // (vitest.config.ts allows for that).
  it("passes each command's options as the fault's parameters", async () => {
    // --control may also follow the subcommand.
    const brownout = await failoverOnce([
      "fault",
      "brownout",
      "prod-ie",
      "--error-rate",
      "0.25",
      "--added-latency",
      "40ms",
      "--control",
      stack.controlUrl,
    ]);
    expect(brownout.code).toBe(0);
    expect((await fault("partition", "prod-us<->prod-ie")).code).toBe(0);
    expect((await fault("pause-replication")).stdout).toMatch(
      /^fault \d+: replication-paused until healed\n$/,
    );
    expect((await fault("aws-region-outage", "us-west-2")).stdout).toMatch(
      /^fault \d+: aws-region-outage us-west-2 until healed\n$/,
    );
    const params = (await stackStatus(stack)).faults.map((f) => ({
      kind: f.kind,
      params: (f as { params?: unknown }).params,
    }));
    expect(params).toEqual([
      { kind: "brownout", params: { region: "prod-ie", errorRate: 0.25, addedLatencyMs: 40 } },
      { kind: "partition", params: { between: ["prod-us", "prod-ie"], oneWay: false } },
      { kind: "replication-paused", params: {} },
      // The same parameter name as the simulator's scenario entry.
      { kind: "aws-region-outage", params: { awsRegion: "us-west-2" } },
    ]);
    const healed = await fault("heal", "--all");
    expect(healed.stdout.trim().split("\n")).toHaveLength(4);
    expect(region(await stackStatus(stack), "prod-us").up).toBe(true);
  });

  it("the latency faults take the simulator's parameter names, and a store spike really slows the store", async () => {
    expect((await fault("control-replica-slow", "control-us-east-2", "--added-latency", "250ms")).code).toBe(
      0,
    );
    expect((await fault("control-replica-slow", "us-west-2", "--added-latency", "1s")).code).toBe(0);
    const spike = await fault(
      "store-latency-spike",
      "prod-us",
      "--added-latency",
      "300ms",
      "--jitter",
      "20ms",
    );
    expect(spike.stdout).toMatch(/^fault \d+: store-latency-spike prod-us until healed\n$/);
    const params = (await stackStatus(stack)).faults.map((f) => ({
      kind: f.kind,
      params: (f as { params?: unknown }).params,
    }));
    expect(params).toEqual([
      { kind: "control-replica-slow", params: { replica: "control-us-east-2", addedLatencyMs: 250 } },
      { kind: "control-replica-slow", params: { awsRegion: "us-west-2", addedLatencyMs: 1000 } },
      { kind: "store-latency-spike", params: { region: "prod-us", addedLatencyMs: 300, jitterMs: 20 } },
    ]);
    const startedMs = performance.now();
    const res = await fetch(`${stack.regionUrls["prod-us"]}/items`);
    await res.arrayBuffer();
    expect(performance.now() - startedMs).toBeGreaterThanOrEqual(300);
    expect((await fault("heal", "--all")).stdout.trim().split("\n")).toHaveLength(3);
    const missing = await fault("control-replica-slow", "eu-west-1", "--added-latency", "1s");
    expect(missing.stderr.trim()).toMatch(
      /^error: invalid_fault: no control replica "eu-west-1" in the stack/,
    );
    expect((await fault("store-latency-spike", "prod-us")).stderr).toMatch(/--added-latency/);
  });

  it.each([
    [
      ["down", "prod-xx"],
      /^error: invalid_fault: no region "prod-xx" in the stack \(have prod-us, prod-ie\)$/,
    ],
    [["partition", "router->nowhere"], /^error: invalid_fault: no link "router->nowhere"/],
    [["down", "prod-us", "--for", "10x"], /^error: --for must look like 500ms, 30s, 2m or 1h; got "10x"$/],
    [["brownout", "prod-us", "--error-rate", "lots"], /^error: --error-rate must be a number; got "lots"$/],
    [["heal", "42"], /^error: not_found: no active fault 42$/],
  ])("refuses %j with one line and exit 2 (bad input)", async (args, message) => {
    const result = await fault(...args);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(message);
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect((await stackStatus(stack)).faults).toEqual([]);
  });

  it("says no stack is answering when none is", async () => {
    const control = `http://127.0.0.1:${await freePort()}`;
    const result = await failoverOnce(["fault", "--control", control, "list"]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      `error: no stack answering at ${control}; start one with \`failover up\``,
    );
  });
});
