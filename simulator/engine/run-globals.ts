import { LightResponse } from "../transport/light-response.ts";
import { countingNextTick, countingSetImmediate, countingSetTimeout } from "./settle.ts";

/**
 * The one place the simulator replaces Node globals, and puts them back. Everything else reaches
 * simulated code through the seams (the injected clock, transport and random source); two
 * things cannot, because the code that uses them is not ours:
 *
 * - `Response`: Hono builds every response with `new Response(...)` on the global class
 *   (hono/dist/context.js, createResponseInstance), and an undici Response costs several times
 *   what the route that builds it does. @hono/node-server swaps in a lighter one in the live
 *   router's process for the same reason; during a run the global is LightResponse
 *   (transport/light-response.ts), which builds the native one only if someone asks for a stream.
 * - `process.nextTick`, `setTimeout`, `setImmediate`: the run loop must know when every
 *   continuation an event set off has run (settle.ts explains how), so ticks queued by other code
 *   (Node streams) are counted; real timers are counted so a run can report code that worked
 *   outside virtual time. The replacements call the originals: nothing runs differently.
 *
 * Each install returns the function that removes it; installs nest, and the last removal puts
 * back exactly what was there before (test/simulator/run-globals.test.ts checks that a whole run
 * leaves every global of globalThis and process as it found it).
 */

const original = {
  nextTick: process.nextTick,
  setTimeout: globalThis.setTimeout,
  setImmediate: globalThis.setImmediate,
};

/** The platform's timers and ticks, for the run loop's own use (never counted). */
export const originalTimers = original;

let hookInstalls = 0;

/** Counts ticks and real timers until the returned function is called. */
export function installTickAndTimerHooks(): () => void {
  if (hookInstalls++ === 0) applyTickAndTimerHooks();
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    if (--hookInstalls === 0) {
      process.nextTick = original.nextTick;
      globalThis.setTimeout = original.setTimeout;
      globalThis.setImmediate = original.setImmediate;
    }
  };
}

/** Puts the hooks back if other code replaced them during an active run (test runners do). */
export function reapplyTickAndTimerHooks(): void {
  if (hookInstalls > 0) applyTickAndTimerHooks();
}

function applyTickAndTimerHooks(): void {
  process.nextTick = countingNextTick as typeof process.nextTick;
  globalThis.setTimeout = countingSetTimeout as typeof setTimeout;
  globalThis.setImmediate = countingSetImmediate as typeof setImmediate;
}

let responseInstalls = 0;
let previousResponse: PropertyDescriptor | undefined;

/** Makes `new Response(...)` build LightResponses until the returned function is called. */
export function installLightResponse(): () => void {
  if (responseInstalls++ === 0) {
    previousResponse = Object.getOwnPropertyDescriptor(globalThis, "Response");
    Object.defineProperty(globalThis, "Response", {
      value: LightResponse,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    if (--responseInstalls === 0 && previousResponse)
      Object.defineProperty(globalThis, "Response", previousResponse);
  };
}
