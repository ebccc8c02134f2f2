import { describe, expect, it } from "vitest";
import { sleep } from "../../core/clock.ts";
import { SimEngine } from "../../simulator/engine/engine.ts";
import { EventQueue } from "../../simulator/engine/event-queue.ts";
import { SIM_EPOCH_MS } from "../../simulator/engine/virtual-clock.ts";
import { TimeoutSweeper } from "../../simulator/transport/timeout-sweeper.ts";

describe("event queue", () => {
  it("pops by virtual time, then by insertion order for ties", () => {
    const queue = new EventQueue();
    const order: string[] = [];
    queue.schedule(5, () => order.push("b5"));
    queue.schedule(1, () => order.push("a1"));
    queue.schedule(5, () => order.push("c5"));
    queue.schedule(5, () => order.push("d5"));
    queue.schedule(0.5, () => order.push("z0.5"));
    for (let e = queue.pop(); e; e = queue.pop()) e.run();
    expect(order).toEqual(["z0.5", "a1", "b5", "c5", "d5"]);
  });

  it("skips cancelled events and counts only live ones", () => {
    const queue = new EventQueue();
    const a = queue.schedule(1, () => {});
    queue.schedule(2, () => {});
    queue.cancel(a);
    queue.cancel(a);
    expect(queue.size).toBe(1);
    expect(queue.peekTimeMs()).toBe(2);
    expect(queue.pop()?.atMs).toBe(2);
    expect(queue.pop()).toBeUndefined();
  });
});

describe("run loop", () => {
  it("lets async continuations finish at the virtual time of the event that started them", async () => {
    const engine = new SimEngine();
    const clock = engine.clock;
    const seen: number[] = [];
    // A deep chain of awaits and a process.nextTick hop (as Node streams do), then a timer.
    async function work(): Promise<void> {
      for (let i = 0; i < 200; i++) await Promise.resolve();
      await new Promise<void>((resolve) => process.nextTick(resolve));
      for (let i = 0; i < 50; i++) await null;
      seen.push(clock.exactMs);
      await sleep(clock, 7);
      seen.push(clock.exactMs);
    }
    clock.at(10, () => void work());
    clock.at(10.25, () => seen.push(clock.exactMs));
    await engine.runUntil({ untilMs: 1000 });
    expect(seen).toEqual([10, 10.25, 17]);
  });

  it("reads like Date.now(): whole milliseconds from a fixed epoch", async () => {
    const engine = new SimEngine();
    let read = 0;
    engine.clock.at(1.75, () => {
      read = engine.clock.nowMs();
    });
    await engine.runUntil({ untilMs: 5 });
    expect(read).toBe(SIM_EPOCH_MS + 1);
    expect(engine.nowMs).toBe(5);
  });

  it("stops at untilMs and resumes where it left off", async () => {
    const engine = new SimEngine();
    const fired: number[] = [];
    for (const t of [1, 2, 3, 4]) engine.clock.at(t, () => fired.push(t));
    await engine.runUntil({ untilMs: 2.5 });
    expect(fired).toEqual([1, 2]);
    await engine.runUntil({ untilMs: 10 });
    expect(fired).toEqual([1, 2, 3, 4]);
    expect(engine.eventsRun).toBe(4);
  });

  it("runs the same program to the same trace every time", async () => {
    async function trace(): Promise<string> {
      const engine = new SimEngine();
      const out: string[] = [];
      for (let i = 0; i < 50; i++) {
        engine.clock.at((i * 7) % 13, async () => {
          await Promise.resolve();
          engine.clock.setTimer(i % 3, () => out.push(`${i}@${engine.nowMs}`));
        });
      }
      await engine.runUntil({ untilMs: 100 });
      return out.join(",");
    }
    expect(await trace()).toBe(await trace());
  });

  it("counts real timers set by simulated code (work outside virtual time)", async () => {
    const engine = new SimEngine();
    engine.clock.at(1, () => {
      const t = setTimeout(() => {}, 10);
      clearTimeout(t);
    });
    const result = await engine.runUntil({ untilMs: 2 });
    expect(result.realTimerCalls).toBe(1);
  });

  it("restores process.nextTick after a run", async () => {
    const before = process.nextTick;
    const engine = new SimEngine();
    engine.clock.at(1, () => {});
    await engine.runUntil({ untilMs: 2 });
    expect(process.nextTick).toBe(before);
  });
});

describe("timeout sweeper", () => {
  it("expires each unfinished call at exactly its deadline, and forgets finished ones at once", async () => {
    const engine = new SimEngine();
    const sweeper = new TimeoutSweeper(engine.clock);
    const expired: [string, number][] = [];
    const call = (name: string) => ({ expire: () => expired.push([name, engine.nowMs]) });
    const slots: number[] = [];
    engine.clock.at(0, () => slots.push(sweeper.add(call("a"), 100)));
    engine.clock.at(10, () => slots.push(sweeper.add(call("b"), 110)));
    engine.clock.at(20, () => slots.push(sweeper.add(call("c"), 120)));
    engine.clock.at(50, () => sweeper.release(slots[0]!));
    await engine.runUntil({ untilMs: 1000 });
    expect(expired).toEqual([
      ["b", 110],
      ["c", 120],
    ]);
    expect(sweeper.queued).toBe(0);
  });
});
