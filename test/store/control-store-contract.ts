import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ControlRecord, type ControlStore, ControlStoreError } from "../../core/control.ts";

/**
 * The behaviour every ControlStore adapter must have (core/control.ts): promotion is a
 * compare-and-set on the epoch, so of two routers promoting at once exactly one wins.
 */
export function describeControlStoreContract(
  name: string,
  makeControlStore: () => Promise<ControlStore & { close?(): Promise<void> }>,
): void {
  describe(`ControlStore contract: ${name}`, () => {
    let control: ControlStore & { close?(): Promise<void> };

    beforeEach(async () => {
      control = await makeControlStore();
    });
    afterEach(async () => {
      await control.close?.();
    });

    it("reads nothing before the first record", async () => {
      expect(await control.read()).toBeUndefined();
    });

    it("writes the first record only against a null expectation, at epoch 1", async () => {
      const first = record("prod-us", 1);
      expect(await control.compareAndSet(null, first)).toEqual({ ok: true, record: first });
      expect(await control.read()).toEqual(first);
      // A second "first" write loses and is shown the record that exists.
      expect(await control.compareAndSet(null, record("prod-ie", 1))).toEqual({ ok: false, current: first });
    });

    it("refuses an epoch expectation when no record exists", async () => {
      expect(await control.compareAndSet(3, record("prod-ie", 4))).toEqual({ ok: false, current: undefined });
      expect(await control.read()).toBeUndefined();
    });

    it("promotes epoch by epoch, and refuses a stale expectation with the current record", async () => {
      await control.compareAndSet(null, record("prod-us", 1));
      const second = record("prod-ie", 2, "router edge-1: failover");
      expect(await control.compareAndSet(1, second)).toEqual({ ok: true, record: second });
      const third = record("prod-us", 3, "operator: failback");
      expect(await control.compareAndSet(2, third)).toEqual({ ok: true, record: third });

      expect(await control.compareAndSet(2, record("prod-ie", 3))).toEqual({ ok: false, current: third });
      expect(await control.compareAndSet(1, record("prod-ie", 2))).toEqual({ ok: false, current: third });
      expect(await control.read()).toEqual(third);
    });

    it("throws on a next epoch that is not expected + 1, and writes nothing", async () => {
      const first = record("prod-us", 1);
      await control.compareAndSet(null, first);
      await expect(control.compareAndSet(1, record("prod-ie", 3))).rejects.toThrow(ControlStoreError);
      await expect(control.compareAndSet(1, record("prod-ie", 1))).rejects.toThrow(/next epoch must be 2/);
      await expect(control.compareAndSet(null, record("prod-ie", 2))).rejects.toThrow(/next epoch must be 1/);
      expect(await control.read()).toEqual(first);
    });

    it("changes only the sync standby within an epoch, conditional on the standby it expects", async () => {
      const first = { ...record("prod-us", 1), syncStandby: "prod-ie" };
      await control.compareAndSet(null, first);
      expect(await control.read()).toEqual(first);
      const released = { ...record("prod-us", 1, "prod-us: no sync standby"), syncStandby: null };
      // The wrong expectation loses and is shown the record.
      expect(await control.setSyncStandby(null, released)).toEqual({ ok: false, current: first });
      const stored = record("prod-us", 1, "prod-us: no sync standby");
      expect(await control.setSyncStandby("prod-ie", released)).toEqual({ ok: true, record: stored });
      expect(await control.read()).toEqual(stored); // a null standby is stored as absent
      const rejoined = { ...record("prod-us", 1, "caught up"), syncStandby: "prod-ie" };
      expect(await control.setSyncStandby(null, rejoined)).toEqual({ ok: true, record: rejoined });
      // Not across epochs or roles: those are promotions.
      expect(
        (await control.setSyncStandby("prod-ie", { ...record("prod-us", 2), syncStandby: null })).ok,
      ).toBe(false);
      expect(
        (await control.setSyncStandby("prod-ie", { ...record("prod-ie", 1), syncStandby: null })).ok,
      ).toBe(false);
      expect(await control.read()).toEqual(rejoined);
    });

    it("promotes on a sync-standby condition only while the record still names that standby", async () => {
      await control.compareAndSet(null, { ...record("prod-us", 1), syncStandby: "prod-ie" });
      await control.setSyncStandby("prod-ie", { ...record("prod-us", 1, "released"), syncStandby: null });
      // The active region removed prod-ie first: a promotion that needs it in sync loses.
      const promoted = record("prod-ie", 2, "router edge-1: failover");
      const lost = await control.compareAndSet(1, promoted, "prod-ie");
      expect(lost).toEqual({ ok: false, current: record("prod-us", 1, "released") });
      // An operator who accepts the loss promotes without the condition; null matches absent.
      expect(await control.compareAndSet(1, promoted, null)).toEqual({ ok: true, record: promoted });
    });

    it("lets exactly one of several racing promotions from the same epoch win", async () => {
      await control.compareAndSet(null, record("prod-us", 1));
      const contenders = Array.from({ length: 6 }, (_, i) =>
        record(i % 2 ? "prod-us" : "prod-ie", 2, `router edge-${i}`),
      );
      const results = await Promise.all(contenders.map((next) => control.compareAndSet(1, next)));

      const winners = contenders.filter((_, i) => results[i]!.ok);
      expect(winners).toHaveLength(1);
      expect(await control.read()).toEqual(winners[0]);
      for (const result of results.filter((r) => !r.ok))
        expect(result).toEqual({ ok: false, current: winners[0] });
    });
  });
}

function record(activeRegion: string, epoch: number, reason = "test"): ControlRecord {
  return { activeRegion, epoch, updatedAtMs: 1_700_000_000_000 + epoch, reason };
}
