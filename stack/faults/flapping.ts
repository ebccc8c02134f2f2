import { z } from "zod";
import { systemClock, type TimerHandle } from "../../core/clock.ts";
import { checkRegion, type LiveFaultKind } from "./live-fault.ts";

/** The region goes down and up every periodS/2: what rise/fall thresholds and damping are for. */
export const flapping: LiveFaultKind = {
  kind: "flapping",
  summary: "the region goes down and comes back up, over and over (periodS: one down+up cycle)",
  params: z.object({ target: z.string(), periodS: z.number().min(0.2).max(3600).default(10) }).strict(),
  async apply(stack, { target, periodS }) {
    checkRegion(stack, target);
    let down = false;
    let timer: TimerHandle | undefined;
    let stopped = false;
    const toggle = async () => {
      if (stopped) return;
      down = !down;
      try {
        await (down ? stack.takeDown(target) : stack.bringUp(target));
      } catch (error) {
        stack.reportError(error, `flapping ${target}`);
      }
      if (!stopped) timer = systemClock.setTimer((periodS * 1000) / 2, () => void toggle());
    };
    await toggle();
    return async () => {
      stopped = true;
      timer?.cancel();
      // Queued behind a take-down in progress (the stack serialises a region's up and down),
      // so the region is up when the heal returns, whatever phase the flap was in.
      await stack.bringUp(target);
    };
  },
};
