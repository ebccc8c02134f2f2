import { describe, expect, it } from "vitest";
import type { RunningStack } from "../../stack/start-stack.ts";
import { healFault, injectFault, region, stackStatus } from "./support/control.ts";
import { eventually, sendJson } from "./support/http.ts";
import { STACK_SYNC_TIMEOUT_MS, stackPerTest } from "./support/test-stack.ts";

const stacks = stackPerTest();

async function write(s: RunningStack, n: number) {
  return sendJson(`${s.routerUrl}/items`, "POST", { data: { n } });
}

describe("replication-paused on the live stack", () => {
  it("async: writes are still acknowledged, the lag on /status grows, and the backlog ships on heal", async () => {
    const stack = await stacks.start({ replication: { mode: "async" } });
    const fault = await injectFault(stack, { kind: "replication-paused" });
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) {
      const created = await write(stack, n);
      expect(created.status).toBe(201);
      ids.push(created.json.id as string);
    }
    // The refused shipment crosses the Atlantic link before it fails: wait for its report.
    const first = await eventually("the refused shipment on /status", async () => {
      const now = region(await stackStatus(stack), "prod-us").replication;
      return now.outbound?.lastError ? now : undefined;
    });
    expect(first.lagEntries).toBe(5);
    expect(first.outbound?.lastError).toMatch(/refusing/);
    const later = await eventually("the lag to grow", async () => {
      const now = region(await stackStatus(stack), "prod-us").replication;
      return now.lagMs >= first.lagMs + 150 && now;
    });
    expect(later.lagEntries).toBe(5);
    for (const id of ids)
      expect((await fetch(`${stack.regionUrls["prod-ie"]}/items/${id}`)).status).toBe(404);

    await healFault(stack, fault.id);
    await eventually(
      "the backlog to ship",
      async () => region(await stackStatus(stack), "prod-us").replication.lagEntries === 0,
    );
    for (const id of ids)
      expect((await fetch(`${stack.regionUrls["prod-ie"]}/items/${id}`)).status).toBe(200);
    expect((await stackStatus(stack)).router.epoch).toBe(1);
  });

  it("sync, refuse-writes: a write is stored but not acknowledged (503 replication_timeout) until replication resumes", async () => {
    const syncTimeoutMs = STACK_SYNC_TIMEOUT_MS;
    const stack = await stacks.start({
      replication: { mode: "sync", syncTimeoutMs, onStandbyUnreachable: "refuse-writes" },
    });
    const before = await write(stack, 0);
    expect(before.status).toBe(201);

    const fault = await injectFault(stack, { kind: "replication-paused" });
    const startedMs = performance.now();
    const during = await write(stack, 1);
    const tookMs = performance.now() - startedMs;
    expect(during.status).toBe(503);
    expect(during.json.error).toBe("replication_timeout");
    expect(tookMs).toBeGreaterThanOrEqual(syncTimeoutMs * 0.9);
    // Stored on prod-us, never reached prod-ie. (Compared by log heads: the active's lagEntries
    // counts its whole log after a failed shipment; see the report.)
    const heads = await stackStatus(stack);
    expect(region(heads, "prod-us").head!.seq - region(heads, "prod-ie").head!.seq).toBe(1);

    await healFault(stack, fault.id);
    await eventually("a write to be acknowledged again", async () => (await write(stack, 2)).status === 201);
    expect((await stackStatus(stack)).router.activeRegion).toBe("prod-us");
  });

  it("sync, degrade-to-async: with the standby unreachable writes are acknowledged and marked degraded", async () => {
    const stack = await stacks.start({
      replication: {
        mode: "sync",
        syncTimeoutMs: STACK_SYNC_TIMEOUT_MS,
        onStandbyUnreachable: "degrade-to-async",
      },
    });
    const fault = await injectFault(stack, { kind: "replication-paused" });
    const during = await write(stack, 1);
    expect(during.status).toBe(201);
    expect(during.headers.get("x-replication")).toBe("degraded");
    await healFault(stack, fault.id);
    await eventually(
      "replication to catch up",
      async () => region(await stackStatus(stack), "prod-us").replication.lagEntries === 0,
    );
    const after = await write(stack, 2);
    expect(after.status).toBe(201);
    expect(after.headers.get("x-replication")).toBeNull();
  });
});

describe("a standby that cannot confirm synchronous writes is not a failed region", () => {
  it("sync, refuse-writes: repeated 503 replication_timeout does not make the router fail over", async () => {
    const stack = await stacks.start({
      replication: {
        mode: "sync",
        syncTimeoutMs: STACK_SYNC_TIMEOUT_MS,
        onStandbyUnreachable: "refuse-writes",
      },
    });
    expect((await write(stack, 0)).status).toBe(201);
    await injectFault(stack, { kind: "replication-paused" });
    // More refusals than the passive detector's consecutive-failure threshold (5).
    for (let n = 1; n <= 7; n++) {
      const res = await write(stack, n);
      expect(res.status).toBe(503);
      expect(res.json.error).toBe("replication_timeout");
    }
    const status = await stackStatus(stack);
    expect(status.router.epoch).toBe(1);
    expect(status.router.activeRegion).toBe("prod-us");
  });
});
