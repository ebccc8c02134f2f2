/**
 * What the run loop needs to wait until every promise continuation started by the last event
 * has run, so the real router and region code (async all the way) finishes its work at the
 * virtual time the event happened (run-loop.ts does the waiting).
 *
 * Why not `setImmediate`: it costs ~1.3 us a call here, and the run loop settles once per event
 * (millions per run). Node runs queued `process.nextTick` callbacks back to back and drains the
 * whole microtask queue when none are left, so a tick queued from a microtask runs only after
 * every microtask queued before it and after it (~0.27 us), unless the simulated code itself
 * queued ticks (Node streams do): their continuations could then run after ours.
 * Counting those ticks while a run is active and settling again until a round queues none makes
 * the wait exact. Real timers (setTimeout, setImmediate) are not waited for: simulated code must
 * use the injected clock, and `realTimerCalls` lets a run report any code that did not.
 * This file only counts; run-globals.ts installs the counting functions and removes them.
 */
type NextTick = typeof process.nextTick;

// The platform's functions, taken before run-globals.ts (the one module that replaces globals)
// can put the counting ones below in their place.
const originalNextTick: NextTick = process.nextTick;
const originalSetTimeout = globalThis.setTimeout;
const originalSetImmediate = globalThis.setImmediate;

let foreignTicks = 0;
let realTimerCalls = 0;

/** process.nextTick while a run is active (installed by run-globals.ts): counts, then queues. */
export function countingNextTick(this: unknown, ...args: Parameters<NextTick>): void {
  foreignTicks++;
  originalNextTick.apply(process, args);
}

/** setTimeout while a run is active (installed by run-globals.ts). */
export function countingSetTimeout(...args: Parameters<typeof setTimeout>): ReturnType<typeof setTimeout> {
  realTimerCalls++;
  return originalSetTimeout(...args);
}

/** setImmediate while a run is active (installed by run-globals.ts). */
export function countingSetImmediate(
  ...args: Parameters<typeof setImmediate>
): ReturnType<typeof setImmediate> {
  realTimerCalls++;
  return originalSetImmediate(...args);
}

/** Ticks queued by code other than the run loop since the hooks were installed. */
export function foreignTickCount(): number {
  return foreignTicks;
}

/** setTimeout/setImmediate calls made while hooks were installed (simulated code must use none). */
export function realTimerCallCount(): number {
  return realTimerCalls;
}

/** One turn of the real event loop, not counted as a real timer call of simulated code. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => originalSetImmediate(resolve));
}

/**
 * Queues `callback` as a tick of the run loop's own (not counted as a foreign tick). Node runs it
 * once the microtask queue is empty, after the ticks queued before it.
 */
export function scheduleTick(callback: () => void): void {
  originalNextTick(callback);
}
