import type { VirtualClock } from "../engine/virtual-clock.ts";

/** A request waiting for a worker: `serve` starts it; `gone` says its caller has given up. */
export interface Waiting {
  serve(serviceMs: number): void;
  gone(): boolean;
}

export interface PoolStats {
  name: string;
  served: number;
  shed: number;
  /** Requests dropped from the queue because their caller had already given up (timed out). */
  abandoned: number;
  queueMaxSeen: number;
  /** Longest wait for a worker, ms. */
  waitMaxMs: number;
  /** Concurrency over the run: [atS, concurrency]. */
  concurrency: [number, number][];
}

/**
 * One server's workers and queue (an M/G/c queue with a bounded FIFO): a request takes a free
 * worker at once, else waits, else is shed. A worker is held for the drawn service time; then the
 * next waiting request whose caller is still there starts (a server drops a request whose client
 * has closed the connection instead of working on it).
 */
export class CapacityPool {
  private busy = 0;
  private readonly queue: { item: Waiting; sinceMs: number }[] = [];
  private head = 0;
  readonly stats: PoolStats;

  constructor(
    private readonly clock: VirtualClock,
    name: string,
    private concurrency: number,
    private readonly queueMax: number,
    private readonly drawServiceMs: () => number,
  ) {
    this.stats = {
      name,
      served: 0,
      shed: 0,
      abandoned: 0,
      queueMaxSeen: 0,
      waitMaxMs: 0,
      concurrency: [[0, concurrency]],
    };
  }

  /** False when the request is shed (no worker, queue full). */
  admit(item: Waiting): boolean {
    if (this.busy < this.concurrency) {
      this.start(item, this.clock.exactMs);
      return true;
    }
    const waiting = this.queue.length - this.head;
    if (waiting >= this.queueMax) {
      this.stats.shed++;
      return false;
    }
    this.queue.push({ item, sinceMs: this.clock.exactMs });
    if (waiting + 1 > this.stats.queueMaxSeen) this.stats.queueMaxSeen = waiting + 1;
    return true;
  }

  /** Scales to `concurrency` workers now (queued requests start on the new ones). */
  resize(concurrency: number): void {
    if (concurrency === this.concurrency) return;
    this.concurrency = concurrency;
    this.stats.concurrency.push([this.clock.exactMs / 1000, concurrency]);
    this.drain();
  }

  private start(item: Waiting, sinceMs: number): void {
    const now = this.clock.exactMs;
    if (now - sinceMs > this.stats.waitMaxMs) this.stats.waitMaxMs = now - sinceMs;
    this.busy++;
    this.stats.served++;
    const serviceMs = this.drawServiceMs();
    this.clock.at(now + serviceMs, this.release);
    item.serve(serviceMs);
  }

  private release = (): void => {
    this.busy--;
    this.drain();
  };

  private drain(): void {
    while (this.busy < this.concurrency && this.head < this.queue.length) {
      const next = this.queue[this.head++]!;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      if (next.item.gone()) {
        this.stats.abandoned++;
        continue;
      }
      this.start(next.item, next.sinceMs);
    }
  }
}
