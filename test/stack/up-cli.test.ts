import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type CliProcess, failoverOnce, runFailover, STACK_FRAME } from "./support/cli-process.ts";
import { sendJson } from "./support/http.ts";
import { distinctFreePorts } from "./support/test-stack.ts";

const running: CliProcess[] = [];
let blocker: Server | undefined;
afterEach(async () => {
  for (const cli of running.splice(0)) cli.kill();
  await new Promise<void>((done) => (blocker ? blocker.close(() => done()) : done()));
  blocker = undefined;
});

describe("failover up (a real process)", () => {
  it("says in --help that the memory store forgets on restart and how --store dynamodb keeps data", async () => {
    const help = await failoverOnce(["up", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/memory store \(the default\) forgets everything/);
    expect(help.stdout).toContain("--fresh");
    expect(help.stdout).toContain("--table-prefix");
  });

  it("starts, prints its URLs, serves on the router port, and stops cleanly on SIGINT with exit code 0", async () => {
    const [port, controlPort] = await distinctFreePorts("127.0.0.1", 2);
    const cli = runFailover(["up", "--port", String(port), "--control-port", String(controlPort)]);
    running.push(cli);
    const out = await cli.waitForOutput(/Ctrl-C to stop/);
    expect(out).toContain(`router      http://127.0.0.1:${port}`);
    expect(out).toContain(`control     http://127.0.0.1:${controlPort}`);
    expect(out).toMatch(/prod-us\s+http:\/\/127\.0\.0\.1:\d+\s+\(virginia\)/);
    expect(out).toMatch(/prod-ie\s+http:\/\/127\.0\.0\.1:\d+\s+\(ireland\)/);
    expect(out).toContain("prod-us<->prod-ie 80.5 ms RTT");

    const created = await sendJson(`http://127.0.0.1:${port}/items`, "POST", { data: { from: "cli" } });
    expect(created.status).toBe(201);
    expect(created.headers.get("x-served-by")).toBe("prod-us");
    const faults = await sendJson(`http://127.0.0.1:${controlPort}/faults`, "GET");
    expect(faults.json).toEqual({ active: [] });

    const stoppingAtMs = Date.now();
    cli.child.kill("SIGINT");
    const code = await cli.exited;
    expect(code).toBe(0);
    expect(Date.now() - stoppingAtMs).toBeLessThan(5000);
    expect(cli.stdout()).toContain("stopping");
    expect(cli.stderr()).not.toMatch(STACK_FRAME);
  });

  it("prints each router decision as it happens, one JSON object a line with --log json", async () => {
    const [port, controlPort] = await distinctFreePorts("127.0.0.1", 2);
    const cli = runFailover([
      "up",
      "--port",
      String(port),
      "--control-port",
      String(controlPort),
      "--log",
      "json",
    ]);
    running.push(cli);
    const control = `http://127.0.0.1:${controlPort}/faults`;
    for (let i = 0; ; i++) {
      const answered = await fetch(control).then(
        (r) => r.ok,
        () => false,
      );
      if (answered) break;
      if (i > 300 || cli.child.exitCode !== null) throw new Error(`the stack did not start: ${cli.stderr()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(cli.stderr()).toContain("Ctrl-C to stop");
    expect((await sendJson(control, "POST", { kind: "region-down", region: "prod-us" })).status).toBe(201);
    await cli.waitForOutput(/"event":"fenced"/);
    const events = cli
      .stdout()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { event: string; region?: string; epoch?: number; time: string });
    const order = events.map((e) => `${e.event} ${e.region}`);
    const detected = order.indexOf("detected prod-us");
    const promoted = order.indexOf("promoted prod-ie");
    expect(detected).toBeGreaterThanOrEqual(0);
    expect(promoted).toBeGreaterThan(detected);
    expect(order.indexOf("fenced prod-us")).toBeGreaterThan(promoted);
    expect(events[promoted]!.epoch).toBe(2);
    expect(events.every((e) => !Number.isNaN(Date.parse(e.time)))).toBe(true);
    cli.child.kill("SIGINT");
    expect(await cli.exited).toBe(0);
  });

  it("stops cleanly on SIGINT while a fault is active (a hung region, a partitioned client link)", async () => {
    const [port, controlPort] = await distinctFreePorts("127.0.0.1", 2);
    const cli = runFailover(["up", "--port", String(port), "--control-port", String(controlPort)]);
    running.push(cli);
    await cli.waitForOutput(/Ctrl-C to stop/);
    const control = `http://127.0.0.1:${controlPort}/faults`;
    expect((await sendJson(control, "POST", { kind: "region-hang", region: "prod-us" })).status).toBe(201);
    expect(
      (await sendJson(control, "POST", { kind: "partition", between: ["client", "router"], oneWay: true }))
        .status,
    ).toBe(201);
    // A request now waits on the partitioned link; Ctrl-C must not wait for it.
    const pending = fetch(`http://127.0.0.1:${port}/items`).catch(() => undefined);

    const stoppingAtMs = Date.now();
    cli.child.kill("SIGINT");
    expect(await cli.exited).toBe(0);
    expect(Date.now() - stoppingAtMs).toBeLessThan(5000);
    await pending;
  });

  it("a port in use is one clear line and a non-zero exit, not a stack trace", async () => {
    const [port, controlPort] = await distinctFreePorts("127.0.0.1", 2);
    blocker = createServer();
    await new Promise<void>((done) => blocker!.listen(port, "127.0.0.1", () => done()));
    // A generous bound (starting a process on a loaded machine takes seconds): what matters is
    // that it exits by itself (an exit code) rather than being killed at the bound (a signal).
    const result = await failoverOnce(
      ["up", "--port", String(port), "--control-port", String(controlPort)],
      60_000,
    );
    expect(typeof result.code, `exit: ${result.code}`).toBe("number");
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split("\n")).toEqual([
      `error: port ${port} on 127.0.0.1 is already in use; choose another with --port`,
    ]);
  });

  it("a control port in use names --control-port", async () => {
    const [port, controlPort] = await distinctFreePorts("127.0.0.1", 2);
    blocker = createServer();
    await new Promise<void>((done) => blocker!.listen(controlPort, "127.0.0.1", () => done()));
    const result = await failoverOnce(["up", "--port", String(port), "--control-port", String(controlPort)]);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim()).toBe(
      `error: port ${controlPort} on 127.0.0.1 is already in use; choose another with --control-port`,
    );
  });

  it.each([
    [["--host", "0.0.0.0"], /--host must be a loopback address; got 0\.0\.0\.0/],
    [["--port", "70000"], /--port/],
    [["--client-location", "mars"], /--client-location.*mars/],
    [["--store", "dynamodb"], /--dynamodb-endpoint/],
    [
      ["--store", "dynamodb", "--dynamodb-endpoint", "https://dynamodb.us-east-1.amazonaws.com"],
      /local DynamoDB only/,
    ],
    [["--latency-table", "table11"], /no round trip between virginia and ireland/],
    [["--env", "moon"], /moon/],
  ])("refuses %j with a message and a non-zero exit", async (flags, message) => {
    const result = await failoverOnce(["up", ...flags]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(result.stdout).not.toContain("router ");
  });
});
