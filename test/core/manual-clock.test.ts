import { describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";

describe("ManualClock", () => {
  it("lets a timer's async work run to its end, however many awaits it takes, before advance returns", async () => {
    const clock = new ManualClock();
    let steps = 0;
    clock.setTimer(10, async () => {
      // Far more steps than any fixed number of microtask turns would cover.
      for (let i = 0; i < 500; i++) {
        await Promise.resolve();
        steps++;
      }
      await new Promise<void>((resolve) => process.nextTick(resolve));
      steps++;
    });
    await clock.advance(10);
    expect(steps).toBe(501);
  });

  it("fires a timer that settled async work set, in the same advance, at its own time", async () => {
    const clock = new ManualClock();
    const firedAt: number[] = [];
    clock.setTimer(5, async () => {
      for (let i = 0; i < 100; i++) await Promise.resolve();
      clock.setTimer(5, () => firedAt.push(clock.nowMs()));
    });
    await clock.advance(20);
    expect(firedAt).toEqual([10]);
  });
});
