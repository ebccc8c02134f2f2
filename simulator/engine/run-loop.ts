import type { EventQueue } from "./event-queue.ts";
import { installTickAndTimerHooks, reapplyTickAndTimerHooks } from "./run-globals.ts";
import { foreignTickCount, realTimerCallCount, scheduleTick, yieldToEventLoop } from "./settle.ts";
import type { VirtualClock } from "./virtual-clock.ts";

const YIELD_EVERY_EVENTS = 5000;
/**
 * What the loop hangs its microtask on: `queueMicrotask` makes an async resource per call (2% of a
 * run when measured with --cpu-prof); a settled promise's `then` does not.
 */
const resolved = Promise.resolve();

export interface RunProgress {
  /** Virtual ms since the start of the run. */
  nowMs: number;
  eventsRun: number;
}

export interface RunLoopOptions {
  /** Stop once the next event is due after this virtual time (ms since start). */
  untilMs: number;
  /** Called every `progressEveryEvents` events (progress bars). */
  onProgress?: (progress: RunProgress) => void;
  progressEveryEvents?: number;
}

export interface RunLoopResult {
  eventsRun: number;
  /** Promise rejections nobody handled, raised by simulated code during the run. */
  unhandledRejections: string[];
  /** setTimeout/setImmediate calls by simulated code: work outside virtual time (should be 0). */
  realTimerCalls: number;
}

/**
 * The discrete-event loop: pop the next event, move the clock to it, run it, then wait until
 * every continuation it started has run before taking the next one. Nothing here reads the
 * wall clock or sets a real timer, so a run is a pure function of its inputs.
 *
 * How it waits (see settle.ts for why a tick): after an event, a microtask (a `then` on a settled
 * promise) queues the next step as a `process.nextTick` callback. Node runs a tick queued from a
 * microtask only once the microtask queue is empty, so the step starts after every promise
 * continuation the event set off; ticks the simulated code queued itself are counted, and the
 * step waits one more round while their count moves. Driven by callbacks rather than `await`, an event costs one microtask and one tick, not
 * the three promises an async loop and an awaited settle make.
 */
export async function runEvents(
  queue: EventQueue,
  clock: VirtualClock,
  options: RunLoopOptions,
): Promise<RunLoopResult> {
  // Start on a fresh turn of the event loop: a tool that swapped process.nextTick and restores it
  // from a tick of its own (vitest's RPC does) would otherwise undo the counting hook mid-run.
  await yieldToEventLoop();
  return new Promise<RunLoopResult>((resolve, reject) => {
    const removeHooks = installTickAndTimerHooks();
    const unhandledRejections: string[] = [];
    const onRejection = (reason: unknown) => {
      unhandledRejections.push(
        reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason),
      );
    };
    process.on("unhandledRejection", onRejection);
    const every = options.progressEveryEvents ?? YIELD_EVERY_EVENTS;
    const timersBefore = realTimerCallCount();
    let eventsRun = 0;
    // Real timers set by the progress bar (cli-progress throttles with setTimeout) are not the simulated code's.
    let progressTimers = 0;
    /** Foreign ticks counted when the last event started (or at the last check). */
    let ticksSeen = foreignTickCount();
    let yielded = false;

    const cleanUp = () => {
      process.off("unhandledRejection", onRejection);
      removeHooks();
    };
    const requeue = () => scheduleTick(step);
    const step = (): void => {
      try {
        if (foreignTickCount() !== ticksSeen) {
          // Ticks queued by the simulated code ran (or are queued) with continuations of their own.
          ticksSeen = foreignTickCount();
          resolved.then(requeue);
          return;
        }
        // Once per event: a step that comes back from the event loop's turn goes straight on.
        if (eventsRun > 0 && !yielded) {
          if (eventsRun % every === 0 && options.onProgress) {
            const before = realTimerCallCount();
            options.onProgress({ nowMs: clock.exactMs, eventsRun });
            progressTimers += realTimerCallCount() - before;
          }
          // Give the real event loop a turn now and then: V8 runs FinalizationRegistry cleanups as
          // tasks (Node's AbortSignal.any registers every composite signal in one), and without a
          // turn their bookkeeping piles up for the whole run. Simulated code sets no real timers,
          // so nothing simulated runs during the turn.
          if (eventsRun % YIELD_EVERY_EVENTS === 0) {
            yielded = true;
            void yieldToEventLoop().then(() => {
              reapplyTickAndTimerHooks();
              step();
            }, fail);
            return;
          }
        }
        yielded = false;
        const nextMs = queue.peekTimeMs();
        if (nextMs === undefined || nextMs > options.untilMs) {
          finish();
          return;
        }
        const event = queue.pop()!;
        clock.advanceTo(event.atMs);
        ticksSeen = foreignTickCount();
        eventsRun++;
        event.run();
        resolved.then(requeue);
      } catch (error) {
        fail(error);
      }
    };
    const fail = (error: unknown) => {
      cleanUp();
      reject(error);
    };
    const finish = () => {
      clock.advanceTo(options.untilMs);
      const realTimerCalls = realTimerCallCount() - timersBefore - progressTimers;
      // Rejections are reported by Node after the microtask queue drains; give them one turn.
      yieldToEventLoop().then(() => {
        cleanUp();
        resolve({ eventsRun, unhandledRejections, realTimerCalls });
      }, fail);
    };
    resolved.then(requeue);
  });
}
