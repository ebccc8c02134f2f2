import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { PortInUseError } from "../../core/serve-app.ts";
import { loadLatencyTable } from "../../simulator/latency/load-latency-table.ts";
import { type RunningStack, startStack } from "../../stack/start-stack.ts";
import { injectFault, stackStatus } from "./support/control.ts";
import { eventually, portOf, tcpConnect } from "./support/http.ts";
import { ADMIN_TOKEN, distinctFreePorts, startTestStack, testConfig } from "./support/test-stack.ts";

let stack: RunningStack | undefined;
let blocker: Server | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
  await new Promise<void>((done) => (blocker ? blocker.close(() => done()) : done()));
  blocker = undefined;
});

const FLAP_PERIOD_MS = 200;

/** Checks `check` over and over for `forMs`: a state that must hold all along, not at one instant. */
async function staysFor(forMs: number, check: () => Promise<void>): Promise<void> {
  const untilMs = performance.now() + forMs;
  while (performance.now() < untilMs) await check();
}

async function block(port: number): Promise<void> {
  blocker = createServer();
  await new Promise<void>((done) => blocker!.listen(port, "127.0.0.1", () => done()));
}

describe("starting and stopping the live stack", () => {
  it.each([
    ["control", 1, "--control-port"],
    ["a region's", 2, "--region-ports"],
  ])(
    "%s port in use: a PortInUseError naming the flag, and nothing left listening",
    async (_what, taken, flag) => {
      const ports = await distinctFreePorts("127.0.0.1", 4);
      await block(ports[taken]!);
      const starting = startStack({
        config: testConfig(),
        host: "127.0.0.1",
        routerPort: ports[0]!,
        controlPort: ports[1]!,
        regionPorts: [ports[2]!, ports[3]!],
        latency: loadLatencyTable("inter-region"),
        clientLocation: "virginia",
        adminToken: ADMIN_TOKEN,
      });
      await expect(starting).rejects.toThrow(PortInUseError);
      await expect(starting).rejects.toThrow(
        `port ${ports[taken]} on 127.0.0.1 is already in use; choose another with ${flag}`,
      );
      for (const [i, port] of ports.entries()) {
        if (i !== taken) expect(await tcpConnect(port)).toBe("ECONNREFUSED");
      }
    },
  );

  it("close() with faults active returns promptly, and a flapping region stays down afterwards", async () => {
    stack = await startTestStack();
    const usPort = portOf(stack.regionUrls["prod-us"]!);
    await injectFault(stack, { kind: "region-hang", region: "prod-ie" });
    await injectFault(stack, {
      kind: "flapping",
      region: "prod-us",
      periodS: FLAP_PERIOD_MS / 1000,
      downS: FLAP_PERIOD_MS / 2000,
    });
    await injectFault(stack, { kind: "partition", between: ["client", "router"], oneWay: true });
    // Waits on the partitioned client link (up to a minute) until the stack stops.
    const waiting = fetch(`${stack.routerUrl}/items`).then(
      (r) => r.status,
      () => "connection closed",
    );
    await eventually(
      "the request to reach the stack",
      async () => (await stackStatus(stack!)).faults.length === 3,
    );

    const closingMs = performance.now();
    await stack.close();
    stack = undefined;
    // Far below the minute the partitioned request would otherwise hold close() up, with room
    // for a busy machine.
    expect(performance.now() - closingMs).toBeLessThan(10_000);
    // The request held on the partitioned link is ended by the close (its connection closed, or a
    // 503 from the router on its way down), not left hanging until the test times out.
    expect(["connection closed", 503]).toContain(await waiting);
    // For two flap periods, nothing brings prod-us back up (a surviving flap timer would, within one).
    await staysFor(2 * FLAP_PERIOD_MS, async () => expect(await tcpConnect(usPort)).toBe("ECONNREFUSED"));
  });

  it("healing a flapping region at any point of its cycle leaves it up", async () => {
    stack = await startTestStack();
    const port = portOf(stack.regionUrls["prod-us"]!);
    for (const afterMs of [0, 30, 60, 90, 120]) {
      const fault = await injectFault(stack, {
        kind: "flapping",
        region: "prod-us",
        periodS: FLAP_PERIOD_MS / 1000,
        downS: FLAP_PERIOD_MS / 2000,
      });
      const atMs = Date.now() + afterMs;
      await eventually("the moment to heal", () => Date.now() >= atMs, 1000, 5);
      await fetch(`${stack.controlUrl}/faults/${fault.id}`, { method: "DELETE" });
      expect(await tcpConnect(port)).toBe("connected");
    }
    // And it stays up: no flap timer survives its heal (one would take it down within a period).
    await staysFor(2 * FLAP_PERIOD_MS, async () => expect(await tcpConnect(port)).toBe("connected"));
  });
});
