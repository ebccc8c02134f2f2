import { describe, expect, it } from "vitest";
import {
  type CompareAndSetResult,
  type ControlRecord,
  ControlStoreError,
  MemoryControlStore,
} from "../../core/control.ts";
import { FallbackControlStore } from "../../core/fallback-control-store.ts";

const first: ControlRecord = { activeRegion: "prod-us", epoch: 1, updatedAtMs: 0, reason: "start" };
const second: ControlRecord = { activeRegion: "prod-ie", epoch: 2, updatedAtMs: 5, reason: "failover" };

/** A replica whose answer to a write is lost after the write landed on the shared record. */
class AnswerLost extends MemoryControlStore {
  constructor(private readonly shared: MemoryControlStore) {
    super();
  }
  override async compareAndSet(expected: number | null, next: ControlRecord): Promise<CompareAndSetResult> {
    await this.shared.compareAndSet(expected, next);
    throw new ControlStoreError("control-us-east-1: no response within 1000 ms");
  }
}

describe("FallbackControlStore: the nearest replica that answers", () => {
  it("reads from the first replica that answers, skipping one that is down", async () => {
    const near = new MemoryControlStore(first);
    const far = new MemoryControlStore(second);
    const store = new FallbackControlStore([
      { name: "near", store: near },
      { name: "far", store: far },
    ]);
    expect((await store.read())?.activeRegion).toBe("prod-us");
    near.down = true;
    expect((await store.read())?.activeRegion).toBe("prod-ie");
  });

  it("throws ControlStoreError naming every replica when none answers", async () => {
    const a = new MemoryControlStore(first);
    const b = new MemoryControlStore(first);
    a.down = true;
    b.down = true;
    const store = new FallbackControlStore([
      { name: "control-us-east-1", store: a },
      { name: "control-us-east-2", store: b },
    ]);
    const error = await store.read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ControlStoreError);
    expect((error as Error).message).toMatch(/no replica answered.*control-us-east-1.*control-us-east-2/);
  });

  it("counts a write whose answer was lost, found applied by the next replica, as won", async () => {
    const shared = new MemoryControlStore(first);
    const store = new FallbackControlStore([
      { name: "control-us-east-1", store: new AnswerLost(shared) },
      { name: "control-us-east-2", store: shared },
    ]);
    const result = await store.compareAndSet(1, second);
    expect(result.ok).toBe(true);
    expect(await shared.read()).toEqual(second);
  });

  it("still reports a lost race as lost", async () => {
    const shared = new MemoryControlStore(second);
    const store = new FallbackControlStore([{ name: "control-us-east-2", store: shared }]);
    const result = await store.compareAndSet(1, { ...second, reason: "another router" });
    expect(result).toEqual({ ok: false, current: second });
  });
});
