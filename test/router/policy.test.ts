import { describe, expect, it } from "vitest";
import { decide, type PolicyInput, type RegionView } from "../../router/policy/failover-policy.ts";

const healthy = (name: string, upSinceMs: number | undefined = 0): RegionView => ({
  name,
  health: "up",
  consecutiveProbeFailures: 0,
  upSinceMs,
  passiveTrip: undefined,
  drained: false,
  downReason: undefined,
  replicationLagEntries: 0,
});

function input(
  over: Partial<PolicyInput> & { us?: Partial<RegionView>; ie?: Partial<RegionView> } = {},
): PolicyInput {
  const { us, ie, ...rest } = over;
  return {
    nowMs: 100_000,
    record: { activeRegion: "prod-us", epoch: 1, updatedAtMs: 0, reason: "" },
    regions: [
      { ...healthy("prod-us"), ...us },
      { ...healthy("prod-ie"), ...ie },
    ],
    preferred: "prod-us",
    failback: { mode: "manual", holdDownMs: 30_000 },
    minPromotionIntervalMs: 60_000,
    lastPromotionAtMs: undefined,
    ...rest,
  };
}

describe("failover policy", () => {
  it("stays while the active region is healthy", () => {
    expect(decide(input())).toEqual({ kind: "stay" });
  });

  it("fails over when active checks mark the active region down and the standby is healthy", () => {
    const decision = decide(input({ us: { health: "down", downReason: "3 probes failed" } }));
    expect(decision).toMatchObject({ kind: "promote", target: "prod-ie", cause: "failover" });
  });

  it("fails over on a passive trip alone", () => {
    expect(decide(input({ us: { passiveTrip: "5 consecutive failed requests" } }))).toMatchObject({
      kind: "promote",
      reason: "prod-us unhealthy: 5 consecutive failed requests",
    });
  });

  it("does not promote a standby that is down, tripped, drained or failed its last probe", () => {
    const down = { health: "down" as const, downReason: "x" };
    for (const ie of [
      { health: "down" as const },
      { passiveTrip: "t" },
      { drained: true },
      { consecutiveProbeFailures: 1 },
    ]) {
      expect(decide(input({ us: down, ie })).kind).toBe("stay");
    }
  });

  it("damps a promotion within minPromotionIntervalMs of the last, and allows it at exactly the interval", () => {
    const us = { health: "down" as const, downReason: "x" };
    expect(decide(input({ us, lastPromotionAtMs: 40_001 }))).toMatchObject({
      kind: "stay",
      blocked: expect.stringContaining("flap damping"),
    });
    expect(decide(input({ us, lastPromotionAtMs: 40_000 })).kind).toBe("promote");
  });

  it("fails back automatically only after the hold-down, and never in manual mode", () => {
    const onIe = { record: { activeRegion: "prod-ie", epoch: 2, updatedAtMs: 0, reason: "" } };
    const automatic = { mode: "automatic" as const, holdDownMs: 30_000 };
    expect(decide(input({ ...onIe, failback: automatic, us: { upSinceMs: 70_001 } })).kind).toBe("stay");
    expect(decide(input({ ...onIe, failback: automatic, us: { upSinceMs: 70_000 } }))).toMatchObject({
      kind: "promote",
      target: "prod-us",
      cause: "failback",
    });
    expect(decide(input({ ...onIe, failback: automatic, us: { upSinceMs: undefined } })).kind).toBe("stay");
    expect(decide(input({ ...onIe, us: { upSinceMs: 0 } })).kind).toBe("stay");
  });

  it("does not fail back while the active region has writes the old primary lacks", () => {
    const onIe = { record: { activeRegion: "prod-ie", epoch: 2, updatedAtMs: 0, reason: "" } };
    const automatic = { mode: "automatic" as const, holdDownMs: 30_000 };
    const lagging = decide(
      input({ ...onIe, failback: automatic, us: { upSinceMs: 0 }, ie: { replicationLagEntries: 133 } }),
    );
    expect(lagging).toMatchObject({ kind: "stay", blocked: expect.stringContaining("lag 133 entries") });
    const unknown = decide(
      input({ ...onIe, failback: automatic, us: { upSinceMs: 0 }, ie: { replicationLagEntries: undefined } }),
    );
    expect(unknown).toMatchObject({ kind: "stay", blocked: expect.stringContaining("lag unknown") });
  });

  it("moves off a drained active region without damping", () => {
    expect(decide(input({ us: { drained: true }, lastPromotionAtMs: 99_999 }))).toMatchObject({
      kind: "promote",
      cause: "drain",
    });
  });
});

describe("failover policy in sync mode: only the recorded synchronous standby is promoted automatically", () => {
  const down = { health: "down" as const, downReason: "3 probes failed" };

  it("fails over to the standby the record names", () => {
    expect(decide(input({ us: down, sync: { standby: "prod-ie" } }))).toMatchObject({
      kind: "promote",
      target: "prod-ie",
    });
  });

  it("stays, and says why and what an operator can do, when the active region acknowledged without it", () => {
    const decision = decide(input({ us: down, sync: { standby: null } }));
    expect(decision.kind).toBe("stay");
    expect(decision).toMatchObject({
      blocked: expect.stringContaining("prod-ie is not recorded as the synchronous standby"),
    });
    expect(decision).toMatchObject({
      blocked: expect.stringContaining("failover promote prod-ie --accept-data-loss"),
    });
  });

  it("holds a drain and an automatic failback to the same rule", () => {
    expect(decide(input({ us: { drained: true }, sync: { standby: null } })).kind).toBe("stay");
    const failback = input({
      record: { activeRegion: "prod-ie", epoch: 2, updatedAtMs: 0, reason: "" },
      failback: { mode: "automatic", holdDownMs: 1000 },
      lastPromotionAtMs: 0,
      sync: { standby: null },
    });
    expect(decide(failback)).toMatchObject({
      kind: "stay",
      blocked: expect.stringContaining("failback to prod-us waits"),
    });
    expect(decide({ ...failback, sync: { standby: "prod-us" } })).toMatchObject({
      kind: "promote",
      target: "prod-us",
    });
  });
});
