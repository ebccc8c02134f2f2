import { describe, expect, it } from "vitest";
import type { RunningStack } from "../../stack/start-stack.ts";
import { STALL_MS } from "../support/loaded-machine.ts";
import { healFault, injectIntoSteadyStack, stackStatus, waitForActive } from "./support/control.ts";
import { eventually, portOf, tcpConnect } from "./support/http.ts";
import { FAST_ROUTER, stackPerTest } from "./support/test-stack.ts";

const stacks = stackPerTest();

interface ControlPlaneView {
  controlPlane: { name: string; awsRegion: string; up: boolean }[];
}

async function controlPlane(s: RunningStack): Promise<ControlPlaneView["controlPlane"]> {
  return ((await stackStatus(s)) as unknown as ControlPlaneView).controlPlane;
}

async function write(s: RunningStack): Promise<number> {
  const response = await fetch(`${s.routerUrl}/items`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ data: { n: 1 } }),
  });
  await response.body?.cancel();
  return response.status;
}

describe("aws-region-outage on the live stack", () => {
  it("MRSC control plane: us-east-1 goes (prod-us, its control replica), the router in Ohio promotes prod-ie", async () => {
    const stack = await stacks.start({ routerLocation: "ohio" });
    expect(await write(stack)).toBe(201);
    const fault = await injectIntoSteadyStack(stack, { kind: "aws-region-outage", awsRegion: "us-east-1" });
    expect(await tcpConnect(portOf(stack.regionUrls["prod-us"]!))).toBe("ECONNREFUSED");
    expect((await controlPlane(stack)).map((r) => [r.name, r.up])).toEqual([
      ["control-us-east-1", false],
      ["control-us-east-2", true],
      ["control-us-west-2", true],
    ]);
    await waitForActive(stack, "prod-ie");
    await eventually("a write acknowledged by prod-ie", async () => (await write(stack)) === 201);

    await healFault(stack, fault.id);
    expect(await tcpConnect(portOf(stack.regionUrls["prod-us"]!))).toBe("connected");
    expect((await controlPlane(stack)).every((r) => r.up)).toBe(true);
  });

  it("control record in us-east-1 alone: no router can promote while the region is out, and says why", async () => {
    const stack = await stacks.start({
      routerLocation: "ohio",
      control: { replicas: [{ awsRegion: "us-east-1", location: "virginia" }] },
    });
    expect(await write(stack)).toBe(201);
    const fault = await injectIntoSteadyStack(stack, { kind: "aws-region-outage", awsRegion: "us-east-1" });
    const decisions = await eventually("the router to log a control-plane error", async () => {
      const status = await stackStatus(stack);
      return status.router.decisions.some((d) => d.kind === "control-error") ? status : undefined;
    });
    // Long after the router saw prod-us refuse connections (confirmed within one probe interval;
    // two, and a stall, to be sure), the record still names prod-us.
    await new Promise((resolve) => setTimeout(resolve, 2 * FAST_ROUTER.healthCheck.intervalMs + STALL_MS));
    const status = await stackStatus(stack);
    expect(status.router.epoch).toBe(1);
    expect(decisions.router.decisions.find((d) => d.kind === "control-error")?.reason).toMatch(
      /no replica answered.*control-us-east-1/,
    );
    expect(await write(stack)).not.toBe(201);
    await healFault(stack, fault.id);
  });

  it("takes down a router running in that AWS region, and brings it back fresh", async () => {
    const stack = await stacks.start(); // the router in virginia: us-east-1
    await eventually("the router to serve", async () => (await write(stack)) === 201);
    const fault = await injectIntoSteadyStack(stack, { kind: "aws-region-outage", awsRegion: "us-east-1" });
    expect(await tcpConnect(portOf(stack.routerUrl))).toBe("ECONNREFUSED");
    await healFault(stack, fault.id);
    expect(await tcpConnect(portOf(stack.routerUrl))).toBe("connected");
    await eventually("the rebuilt router to serve", async () => (await write(stack)) === 201);
  });

  it("refuses an AWS region no part of the stack runs in, naming those it knows", async () => {
    const stack = await stacks.start();
    const response = await fetch(`${stack.controlUrl}/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "aws-region-outage", awsRegion: "ap-south-1" }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toMatch(
      /no part of the stack runs in "ap-south-1" \(parts run in eu-west-1, us-east-1, us-east-2, us-west-2\)/,
    );
  });
});
