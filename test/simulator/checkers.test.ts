import { describe, expect, it } from "vitest";
import type { LogEntry } from "../../regions/store/store.ts";
import { WriteLedger } from "../../simulator/clients/write-ledger.ts";
import { subsystemSeed } from "../../simulator/engine/subsystem-seed.ts";
import { analyseFaults } from "../../simulator/report/failover-analysis.ts";
import { checkLostWrites } from "../../simulator/report/lost-writes.ts";
import { phasesOf } from "../../simulator/report/phases.ts";
import type { Promotion } from "../../simulator/report/promotions.ts";
import { causeOf } from "../../simulator/report/promotions.ts";
import { SplitBrainChecker } from "../../simulator/report/split-brain.ts";
import type { PlannedFault, ResolvedScenario } from "../../simulator/scenario/resolved-scenario.ts";
import type { Cell } from "../../simulator/system/build-system.ts";
import { ObservedControlStore } from "../../simulator/system/observed-control.ts";
import { holds, ObservedStore } from "../../simulator/system/observed-store.ts";

function entry(seq: number, epoch: number, origin: string, atMs: number, key?: string): LogEntry {
  const e: LogEntry = {
    seq,
    epoch,
    origin,
    atMs,
    op: {
      kind: "put",
      item: {
        id: `01J0000000000000000000000${seq}`,
        data: {},
        createdAtMs: atMs,
        updatedAtMs: atMs,
        version: 1,
      },
    },
  };
  if (key) e.idempotencyKey = key;
  return e;
}

function fault(index: number, startMs: number, endMs: number, warrants: string[]): PlannedFault {
  return {
    index,
    kind: "region-down",
    params: { kind: "region-down", startS: startMs / 1000, durationS: (endMs - startMs) / 1000 },
    label: `f${index}`,
    startMs,
    endMs,
    effects: [],
    warrantsFailoverFrom: warrants,
  };
}

describe("split-brain checker (acknowledgement order across epochs)", () => {
  it("accepts acknowledgements in one epoch, and an older epoch's before a newer one's first", () => {
    const checker = new SplitBrainChecker();
    checker.check({ seq: 1, epoch: 1, degraded: false }, "prod-us", 0, 5);
    checker.check({ seq: 2, epoch: 1, degraded: false }, "prod-us", 0, 9);
    checker.check({ seq: 3, epoch: 2, degraded: false }, "prod-ie", 0, 10);
    checker.check({ seq: 4, epoch: 2, degraded: false }, "prod-ie", 0, 11);
    expect(checker.count).toBe(0);
  });

  it("flags an acknowledgement in an older epoch after a newer epoch's first, naming both", () => {
    const checker = new SplitBrainChecker();
    checker.check({ seq: 1, epoch: 1, degraded: false }, "prod-us", 0, 5);
    checker.check({ seq: 9, epoch: 2, degraded: false }, "prod-ie", 0, 10);
    checker.check({ seq: 2, epoch: 1, degraded: true }, "prod-us", 0, 12);
    expect(checker.count).toBe(1);
    expect(checker.violations[0]).toEqual({
      atMs: 12,
      cell: 0,
      region: "prod-us",
      epoch: 1,
      seq: 2,
      newerEpoch: 2,
      newerRegion: "prod-ie",
      newerFirstAckMs: 10,
    });
  });

  it("keeps cells apart (active/active runs one pair per cell)", () => {
    const checker = new SplitBrainChecker();
    checker.check({ seq: 1, epoch: 2, degraded: false }, "prod-ie", 1, 5);
    checker.check({ seq: 1, epoch: 1, degraded: false }, "prod-us", 0, 6);
    expect(checker.count).toBe(0);
  });
});

describe("observed store", () => {
  it("keeps its log's epochs run-length encoded", async () => {
    const store = new ObservedStore("prod-ie", () => 0);
    await store.commit(entry(1, 1, "prod-us", 1));
    await store.commit(entry(2, 1, "prod-us", 2));
    await store.commit(entry(3, 2, "prod-ie", 0));
    expect(store.epochRuns).toEqual([
      { fromSeq: 1, epoch: 1 },
      { fromSeq: 3, epoch: 2 },
    ]);
    expect(holds(store.headSeq, store.epochRuns, 2, 1)).toBe(true);
    expect(holds(store.headSeq, store.epochRuns, 3, 1)).toBe(false);
    expect(holds(store.headSeq, store.epochRuns, 4, 2)).toBe(false);
  });

  it("reports writes accepted now, not entries replicated to it (even its own, replayed)", async () => {
    let now = 100;
    const store = new ObservedStore("prod-us", () => now);
    const own: number[] = [];
    store.onOwnCommit = (c) => own.push(c.entry.seq);
    await store.commit(entry(1, 1, "prod-us", 100));
    await store.commit(entry(2, 1, "prod-ie", 50));
    now = 900;
    await store.commit(entry(3, 1, "prod-us", 100));
    expect(own).toEqual([1]);
    expect(store.headSeq).toBe(3);
    await store.clear();
    expect(store.headSeq).toBe(0);
  });
});

describe("lost-write checker (Jepsen style)", () => {
  async function setup(newActiveHeadSeq: number) {
    const ledger = new WriteLedger();
    const stores = new Map([
      ["prod-us", new ObservedStore("prod-us", () => 0)],
      ["prod-ie", new ObservedStore("prod-ie", () => 0)],
    ]);
    const control = new ObservedControlStore(() => 0, {
      activeRegion: "prod-ie",
      epoch: 2,
      updatedAtMs: 0,
      reason: "x",
    });
    const cell = {
      index: 0,
      activeAtStart: "prod-us",
      control,
      regions: new Map([...stores].map(([name, store]) => [name, { name, store }])),
    } as unknown as Cell;
    // Two acknowledged writes committed by prod-us at seq 1 and 2; prod-ie holds only seq 1.
    for (const seq of [1, 2]) {
      const i = ledger.add(seq * 10, 0, 0);
      ledger.acknowledge(i, seq * 10 + 1, false);
      ledger.observeCommit(
        { region: "prod-us", entry: entry(seq, 1, "prod-us", seq * 10, `w${i}`) },
        seq * 10,
      );
    }
    await stores.get("prod-ie")!.commit(entry(1, 1, "prod-us", 10, "w0"));
    const promotion: Promotion = {
      atMs: 100,
      cell: 0,
      from: "prod-us",
      to: "prod-ie",
      fromEpoch: 1,
      toEpoch: 2,
      cause: "failover",
      reason: "r",
      newActiveHeadSeq,
      newActiveEpochRuns: [{ fromSeq: 1, epoch: 1 }],
      oldActiveHeadSeq: 2,
      oldActiveLastAcceptMs: 20,
    };
    return { ledger, cell, promotion };
  }

  it("finds an acknowledged write missing from the final active region and explains it by replication lag", async () => {
    const { ledger, cell, promotion } = await setup(1);
    const result = await checkLostWrites(ledger, [cell], [promotion], [fault(0, 25, 200, ["prod-us"])]);
    expect(result).toMatchObject({ acknowledged: 2, lost: 1, unexplained: 0, lostDegraded: 0 });
    expect(result.list[0]).toMatchObject({ key: "w1", seq: 2, explained: true, lagEntries: 1, lagMs: 5 });
    // RPO (glossary): from prod-ie's recovery point (w0, committed at 10 ms) to the cut-off (the
    // fault's start, 25 ms), not the lost write's own 5 ms of lag.
    expect(result.rpoMs).toBe(15);
    expect(result.byPromotion).toEqual([{ cell: 0, atMs: 100, lost: 1, rpoMs: 15 }]);
  });

  it("calls a loss unexplained when the write had been replicated before the promotion", async () => {
    // The new active's head was already at 2 when promoted: seq 2 cannot have been lost by lag.
    const { ledger, cell, promotion } = await setup(2);
    const result = await checkLostWrites(ledger, [cell], [promotion]);
    expect(result).toMatchObject({ lost: 1, unexplained: 1 });
    expect(result.list[0]!.explained).toBe(false);
  });

  it("explains a loss when the promoted region's log had diverged at that seq (same seq, other epoch)", async () => {
    // The new active holds seq 1-2, but its seq 2 was written in epoch 3, not the write's epoch 1.
    const { ledger, cell, promotion } = await setup(2);
    const diverged = {
      ...promotion,
      newActiveEpochRuns: [
        { fromSeq: 1, epoch: 1 },
        { fromSeq: 2, epoch: 3 },
      ],
    };
    const result = await checkLostWrites(ledger, [cell], [diverged]);
    expect(result).toMatchObject({ lost: 1, unexplained: 0 });
  });

  it("ignores writes that were never acknowledged", async () => {
    const { ledger, cell, promotion } = await setup(1);
    const i = ledger.add(50, 0, 0);
    ledger.observeCommit({ region: "prod-us", entry: entry(3, 1, "prod-us", 50, `w${i}`) }, 50);
    expect((await checkLostWrites(ledger, [cell], [promotion])).lost).toBe(1);
  });
});

function promotionAt(atMs: number, from: string, to: string, cause: Promotion["cause"]): Promotion {
  return { atMs, cell: 0, from, to, cause } as Promotion;
}

function failed(sendMs: number, latencyMs: number) {
  return { sendMs, answerMs: sendMs + latencyMs, failed: true };
}

function held1(sendMs: number, latencyMs: number) {
  return { sendMs, answerMs: sendMs + latencyMs, failed: false };
}

describe("failover analysis", () => {
  const scenario = {
    durationS: 100,
    report: { restoredForS: 5 },
    failoverBy: "router",
  } as unknown as ResolvedScenario;

  it("measures detection, promotion and RTO from the fault's start", () => {
    const f = fault(0, 10_000, 40_000, ["prod-us"]);
    const decisions = [
      {
        atMs: 10_900,
        cell: 0,
        routerId: "b",
        kind: "passive" as const,
        region: "prod-us",
        reason: "tripped",
      },
      {
        atMs: 10_300,
        cell: 0,
        routerId: "a",
        kind: "health" as const,
        region: "prod-us",
        reason: "down: 3 probes",
      },
      { atMs: 10_100, cell: 0, routerId: "a", kind: "health" as const, region: "prod-ie", reason: "down: x" },
    ];
    const promotion = promotionAt(10_400, "prod-us", "prod-ie", "failover");
    // Failures sent at 10.1, 10.2, 12 s (answered 50 ms later), then one at 30 s after a quiet
    // gap longer than restoredForS: a second outage of the same fault, not part of the RTO.
    const failures = [[10_100, 10_200, 12_000, 30_000, 5_000].map((t) => failed(t, 50))];
    const {
      faults: [outcome],
    } = analyseFaults(scenario, [f], decisions, [], [promotion], failures, () => "prod-us");
    expect(outcome!.cells[0]).toMatchObject({
      detectS: 0.3,
      promoteS: 0.4,
      promotedTo: "prod-ie",
      rtoS: 2.05,
      failedRequests: 4,
      heldRequests: 0,
      restored: true,
    });
  });

  it("counts held requests in the RTO: answered, but more than HELD_MS after they were sent", async () => {
    const { HELD_MS } = await import("../../simulator/report/outages.ts");
    const promotion = promotionAt(10_300, "prod-us", "prod-ie", "failover");
    // No request failed: the router held them through detection, promotion and the lease wait.
    const held = [[held1(10_050, 2_600), held1(10_900, HELD_MS + 1)]];
    const {
      faults: [outcome],
    } = analyseFaults(
      scenario,
      [fault(0, 10_000, 40_000, ["prod-us"])],
      [],
      [],
      [promotion],
      held,
      () => "prod-us",
    );
    expect(outcome!.cells[0]).toMatchObject({ rtoS: 2.65, failedRequests: 0, heldRequests: 2 });
  });

  it("gives no RTO to a fault that needed no failover, and still counts its failed requests", () => {
    const brownout = fault(0, 10_000, 300_000, []);
    const errors = [[10_500, 150_000, 299_900].map((t) => failed(t, 10))];
    const {
      faults: [outcome],
    } = analyseFaults(scenario, [brownout], [], [], [], errors, () => "prod-us");
    expect(outcome!.cells[0]!.rtoS).toBeUndefined();
    expect(outcome!.cells[0]!.failedRequests).toBe(3);
  });

  it("gives a fault that starts during another fault's outage its own outage and RTO", () => {
    const partition = fault(0, 12_000, 54_000, []);
    const down = fault(1, 30_000, 50_000, ["prod-us"]);
    const failover = promotionAt(30_200, "prod-us", "prod-ie", "failover");
    // Held requests every second from 12 s (the partition's) through the region's loss at 30 s.
    const d = [Array.from({ length: 21 }, (_, i) => held1(12_000 + i * 1000, 1500))];
    const { faults } = analyseFaults(scenario, [partition, down], [], [], [failover], d, () => "prod-us");
    expect(faults[0]!.cells[0]).toMatchObject({ rtoS: undefined, heldRequests: 17 });
    // The request sent at 29 s was still waiting when prod-us went down at 30 s: the new fault's.
    expect(faults[1]!.cells[0]).toMatchObject({ rtoS: 3.5, heldRequests: 4 });
  });

  it("attributes the outage after a failback to the failback, not to the fault or to nothing", () => {
    const f = fault(0, 10_000, 40_000, ["prod-us"]);
    const failover = promotionAt(10_400, "prod-us", "prod-ie", "failover");
    const failback = promotionAt(60_000, "prod-ie", "prod-us", "failback");
    // The fault's outage (10.1-10.3 s), then the failback's (60.0-61 s), 20 s after the fault healed.
    const d = [[10_100, 10_300, 60_000, 60_500, 61_000].map((t) => failed(t, 20))];
    const { faults, otherOutages } = analyseFaults(
      scenario,
      [f],
      [],
      [],
      [failover, failback],
      d,
      () => "prod-us",
    );
    expect(faults[0]!.cells[0]).toMatchObject({ failedRequests: 2, rtoS: 0.32 });
    expect(otherOutages).toEqual([
      { cause: "failback", atS: 60, cell: 0, fromS: 60, toS: 61.02, failedRequests: 3, heldRequests: 0 },
    ]);
  });

  it("reports no outage when no request failed, and nothing to detect for a fault that warrants no failover", () => {
    const [outcome] = analyseFaults(
      scenario,
      [fault(0, 10_000, 20_000, [])],
      [],
      [],
      [],
      [[]],
      () => "prod-us",
    ).faults;
    expect(outcome!.cells[0]).toMatchObject({
      rtoS: undefined,
      detectS: undefined,
      promoteS: undefined,
      watchedRegion: undefined,
    });
  });
});

describe("phases and causes", () => {
  it("cuts the run at every fault boundary", () => {
    const phases = phasesOf([fault(0, 10_000, 30_000, []), fault(1, 20_000, 40_000, [])], 60_000);
    expect(phases.map((p) => [p.name, p.fromMs, p.toMs])).toEqual([
      ["before", 0, 10_000],
      ["during f0", 10_000, 20_000],
      ["during f0 + f1", 20_000, 30_000],
      ["during f1", 30_000, 40_000],
      ["after f1", 40_000, 60_000],
    ]);
  });

  it("reads the cause of a promotion from the control record's reason", () => {
    expect(causeOf("router edge-1: failover: prod-us unhealthy: x")).toBe("failover");
    expect(causeOf("router edge-1: failback: prod-us healthy")).toBe("failback");
    expect(causeOf("dns automation: failover: Route 53 now answers prod-ie")).toBe("failover");
    expect(causeOf("something else")).toBe("other");
  });
});

describe("subsystem seeds", () => {
  it("differ for every run seed, single digits included", () => {
    const seen = new Set<number>();
    for (let seed = 0; seed < 2000; seed++) seen.add(subsystemSeed(seed, "client:us-users"));
    expect(seen.size).toBe(2000);
  });
});
