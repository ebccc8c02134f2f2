/**
 * The only way router and region code reads time or waits. Production passes `systemClock`;
 * the simulator passes a virtual clock, so the same code runs in virtual time
 * (TigerBeetle's `Time` parameter, FoundationDB's sim2 `now()`/`delay()`).
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the Unix epoch (virtual in simulation). */
  nowMs(): number;
  /** Calls `fn` once, `delayMs` from now. */
  setTimer(delayMs: number, fn: () => void): TimerHandle;
}

export const systemClock: Clock = {
  nowMs: () => Date.now(),
  setTimer(delayMs, fn) {
    const timer = setTimeout(fn, Math.max(0, delayMs));
    return { cancel: () => clearTimeout(timer) };
  },
};

/** Resolves after `delayMs` on `clock`; rejects with the signal's reason if it is aborted first. */
export function sleep(clock: Clock, delayMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      handle.cancel();
      reject(signal?.reason);
    };
    const handle = clock.setTimer(delayMs, () => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    });
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * An AbortSignal that fires after `delayMs` on `clock` (AbortSignal.timeout reads real time,
 * which the simulator cannot control). Call `dispose` when the guarded work is done.
 */
export function clockTimeout(
  clock: Clock,
  delayMs: number,
  reason: () => Error,
): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handle = clock.setTimer(delayMs, () => controller.abort(reason()));
  return { signal: controller.signal, dispose: () => handle.cancel() };
}

/**
 * A clock whose time moves only when a test says so. For unit tests that assert exact
 * decision times; the simulator has its own event-queue clock.
 */
export class ManualClock implements Clock {
  private timers: { atMs: number; order: number; fn: () => void; cancelled: boolean }[] = [];
  private order = 0;

  constructor(private currentMs = 0) {}

  nowMs(): number {
    return this.currentMs;
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const timer = { atMs: this.currentMs + Math.max(0, delayMs), order: this.order++, fn, cancelled: false };
    this.timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  /** Moves time forward by `deltaMs`, firing due timers in time order, awaiting microtasks between them. */
  async advance(deltaMs: number): Promise<void> {
    const targetMs = this.currentMs + deltaMs;
    for (;;) {
      await flushMicrotasks();
      this.timers = this.timers.filter((t) => !t.cancelled);
      this.timers.sort((a, b) => a.atMs - b.atMs || a.order - b.order);
      const next = this.timers[0];
      if (!next || next.atMs > targetMs) break;
      this.timers.shift();
      this.currentMs = next.atMs;
      next.fn();
    }
    this.currentMs = targetMs;
    await flushMicrotasks();
  }

  pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
}

/**
 * Lets every piece of async work that is ready run to its end: a macrotask (setImmediate) runs
 * only once the microtask and nextTick queues are empty, however long the chain of awaits, where
 * a fixed number of `await Promise.resolve()` stopped after that many steps.
 */
function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
