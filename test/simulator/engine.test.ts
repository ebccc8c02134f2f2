import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sleep } from "../../core/clock.ts";
import { SimEngine } from "../../simulator/engine/engine.ts";
import { EventQueue } from "../../simulator/engine/event-queue.ts";
import { SIM_EPOCH_MS } from "../../simulator/engine/virtual-clock.ts";

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

  it("pops any mix of times, ties, cancels and pushes between pops in (time, insertion) order", () => {
    // Few distinct times, so ties are common; each op schedules, pops or cancels.
    const op = fc.oneof(
      fc.record({ kind: fc.constant("push" as const), atMs: fc.integer({ min: 0, max: 8 }) }),
      fc.record({ kind: fc.constant("pop" as const) }),
      fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const queue = new EventQueue();
        const live: { atMs: number; seq: number; cancel: () => void }[] = [];
        let seq = 0;
        const popped: number[] = [];
        const expected: number[] = [];
        const takeExpected = () => {
          live.sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
          const next = live.shift();
          if (next) expected.push(next.seq);
        };
        for (const o of ops) {
          if (o.kind === "push") {
            const mine = seq++;
            const event = queue.schedule(o.atMs, () => popped.push(mine));
            live.push({ atMs: o.atMs, seq: mine, cancel: () => event.cancel() });
          } else if (o.kind === "pop") {
            queue.pop()?.run();
            takeExpected();
          } else if (live.length > 0) {
            const [gone] = live.splice(o.pick % live.length, 1);
            gone!.cancel();
          }
          expect(queue.size).toBe(live.length);
        }
        while (queue.size > 0) {
          queue.pop()!.run();
          takeExpected();
        }
        expect(popped).toEqual(expected);
      }),
      { numRuns: 500 },
    );
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

  it("puts its tick counting back when other code swaps process.nextTick mid-run (test runners do)", async () => {
    const engine = new SimEngine();
    const clock = engine.clock;
    const uncounted = process.nextTick;
    const seen: number[] = [];
    // vitest's RPC sets the platform nextTick and later restores the one it saw: mimic the
    // swap at event 1, then run past the loop's next turn of the event loop (every 5000 events).
    clock.at(1, () => {
      process.nextTick = uncounted;
    });
    for (let i = 2; i < 6000; i++) clock.at(i, () => {});
    clock.at(6000, () => {
      void (async () => {
        for (let i = 0; i < 20; i++) await null;
        await new Promise<void>((resolve) => process.nextTick(resolve));
        seen.push(clock.exactMs);
      })();
    });
    clock.at(6000.5, () => seen.push(clock.exactMs));
    await engine.runUntil({ untilMs: 7000 });
    expect(seen).toEqual([6000, 6000.5]);
  });

  it("reports progress once per progressEveryEvents events, at the virtual time reached", async () => {
    for (const every of [5000, 3000]) {
      const engine = new SimEngine();
      for (let i = 1; i <= 12_000; i++) engine.clock.at(i, () => {});
      const reports: [number, number][] = [];
      await engine.runUntil({
        untilMs: 20_000,
        progressEveryEvents: every,
        onProgress: ({ nowMs, eventsRun }) => reports.push([eventsRun, nowMs]),
      });
      const expected = [every, 2 * every, 3 * every, 4 * every].filter((n) => n <= 12_000);
      expect(reports).toEqual(expected.map((n) => [n, n]));
    }
  });

  it("restores process.nextTick after a run", async () => {
    const before = process.nextTick;
    const engine = new SimEngine();
    engine.clock.at(1, () => {});
    await engine.runUntil({ untilMs: 2 });
    expect(process.nextTick).toBe(before);
  });
});

describe("timer lanes (VirtualClock.setTimer)", () => {
  it("fires each live timer at exactly its due time, never a cancelled one, whatever the delays", async () => {
    const engine = new SimEngine();
    const clock = engine.clock;
    const fired: [string, number][] = [];
    const timers = new Map<string, { cancel(): void }>();
    const set = (name: string, delayMs: number) =>
      timers.set(
        name,
        clock.setTimer(delayMs, () => fired.push([name, engine.nowMs])),
      );
    clock.at(0, () => set("a", 100));
    clock.at(10, () => set("b", 100));
    clock.at(20, () => set("c", 100));
    clock.at(25, () => set("short", 5));
    clock.at(30, () => set("long", 1000));
    clock.at(50, () => timers.get("a")!.cancel());
    clock.at(60, () => timers.get("long")!.cancel());
    clock.at(60, () => timers.get("long")!.cancel());
    await engine.runUntil({ untilMs: 5000 });
    expect(fired).toEqual([
      ["short", 30],
      ["b", 110],
      ["c", 120],
    ]);
    expect(clock.pendingTimers).toBe(0);
  });

  it("runs a timer set by a firing timer, and same-delay timers in the order they were set", async () => {
    const engine = new SimEngine();
    const clock = engine.clock;
    const fired: string[] = [];
    const tick = (n: number) => () => {
      fired.push(`tick${n}@${engine.nowMs}`);
      if (n < 3) clock.setTimer(10, tick(n + 1));
    };
    clock.at(0, () => {
      clock.setTimer(10, tick(1));
      clock.setTimer(10, () => fired.push(`second@${engine.nowMs}`));
    });
    await engine.runUntil({ untilMs: 1000 });
    expect(fired).toEqual(["tick1@10", "second@10", "tick2@20", "tick3@30"]);
  });

  it("keeps the event queue small: cancelled deadlines leave no events behind", async () => {
    const engine = new SimEngine();
    const clock = engine.clock;
    for (let i = 0; i < 10_000; i++) {
      clock.at(i, () => clock.setTimer(6000, () => {}).cancel());
    }
    await engine.runUntil({ untilMs: 10_000 });
    // One arrival event per i and one lane event: not one queued deadline per timer.
    expect(engine.queue.scheduledCount).toBeLessThan(10_010);
    expect(clock.pendingTimers).toBe(0);
  });

  it("sends delays past the lane limit to the queue, still exactly on time", async () => {
    const engine = new SimEngine();
    const clock = engine.clock;
    const fired: number[] = [];
    clock.at(0, () => {
      for (let d = 1; d <= 100; d++) clock.setTimer(d + 0.5, () => fired.push(engine.nowMs));
    });
    await engine.runUntil({ untilMs: 1000 });
    expect(fired).toEqual(Array.from({ length: 100 }, (_, i) => i + 1.5));
  });
});
