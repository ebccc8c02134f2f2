import type { EventQueue } from "./event-queue.ts";
import {
  foreignTickCount,
  installSettleHooks,
  realTimerCallCount,
  settle,
  yieldToEventLoop,
} from "./settle.ts";
import type { VirtualClock } from "./virtual-clock.ts";

const YIELD_EVERY_EVENTS = 5000;

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
 * every continuation it started has run (see settle.ts) before taking the next one. Nothing here
 * reads the wall clock or sets a real timer, so a run is a pure function of its inputs.
 */
export async function runEvents(
  queue: EventQueue,
  clock: VirtualClock,
  options: RunLoopOptions,
): Promise<RunLoopResult> {
  const removeHooks = installSettleHooks();
  const unhandledRejections: string[] = [];
  const onRejection = (reason: unknown) => {
    unhandledRejections.push(reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason));
  };
  process.on("unhandledRejection", onRejection);
  const every = options.progressEveryEvents ?? YIELD_EVERY_EVENTS;
  let eventsRun = 0;
  let realTimerCalls = 0;
  const timersBefore = realTimerCallCount();
  // Real timers set by the progress bar (cli-progress throttles with setTimeout) are not the simulated code's.
  let progressTimers = 0;
  try {
    for (;;) {
      const nextMs = queue.peekTimeMs();
      if (nextMs === undefined || nextMs > options.untilMs) break;
      const event = queue.pop()!;
      clock.advanceTo(event.atMs);
      const ticksBefore = foreignTickCount();
      event.run();
      await settle(ticksBefore);
      // Give the real event loop a turn now and then: V8 runs FinalizationRegistry cleanups as tasks
      // (Node's AbortSignal.any registers every composite signal in one), and without a turn their
      // bookkeeping piles up for the whole run. Simulated code sets no real timers, so nothing
      // simulated runs during the turn.
      if (++eventsRun % YIELD_EVERY_EVENTS === 0) await yieldToEventLoop();
      if (eventsRun % every === 0 && options.onProgress) {
        const before = realTimerCallCount();
        options.onProgress({ nowMs: clock.exactMs, eventsRun });
        progressTimers += realTimerCallCount() - before;
      }
    }
    clock.advanceTo(options.untilMs);
    realTimerCalls = realTimerCallCount() - timersBefore - progressTimers;
    // Rejections are reported by Node after the microtask queue drains; give them one turn.
    await yieldToEventLoop();
  } finally {
    process.off("unhandledRejection", onRejection);
    removeHooks();
  }
  return { eventsRun, unhandledRejections, realTimerCalls };
}
