import { systemClock, type TimerHandle } from "../../core/clock.ts";
import { flappingFault } from "../../core/faults/flapping.ts";
import { checkRegion, holdRegionDown, liveFault } from "./live-fault.ts";

/**
 * The region goes down (or hangs) for downS at the start of every periodS, as in the simulator:
 * what rise/fall thresholds and damping are for. Each down phase stacks as a region-down (or
 * region-hang) would.
 */
export const flapping = liveFault(flappingFault, async (stack, { region, periodS, downS, mode }) => {
  checkRegion(stack, region);
  let release: (() => Promise<void>) | undefined;
  let timer: TimerHandle | undefined;
  let stopped = false;
  const goDown = async () => {
    release = mode === "hang" ? await stack.gate(region).hang() : await holdRegionDown(stack, region);
  };
  const comeUp = async () => {
    const r = release;
    release = undefined;
    await r?.();
  };
  const phase = async (down: boolean) => {
    if (stopped) return;
    try {
      await (down ? goDown() : comeUp());
    } catch (error) {
      stack.reportError(error, `flapping ${region}`);
    }
    if (stopped) return;
    const nextMs = (down ? downS : periodS - downS) * 1000;
    timer = systemClock.setTimer(nextMs, () => void phase(!down));
  };
  await phase(true);
  return async () => {
    stopped = true;
    timer?.cancel();
    // Queued behind a take-down in progress (the stack serialises a region's up and down),
    // so the region is up when the heal returns, whatever phase the flap was in.
    await comeUp();
  };
});
