import { type Clock, sleep } from "../core/clock.ts";
import { type Transport, TransportError } from "../core/transport.ts";

/**
 * One network link of the live stack (router -> prod-us, prod-us -> prod-ie, ...): adds the
 * latency table's one-way delay in each direction, and fails as the active faults say.
 * A partitioned link drops packets: the caller waits for its own timeout, as on a real network.
 */
export class LinkGate {
  oneWayMs: number;
  partitioned = false;
  /** Replication paused: the link refuses, so the sender keeps its backlog and retries. */
  refusing = false;

  /** `shutdown` ends every wait on the link at once when the stack stops. */
  constructor(
    readonly name: string,
    oneWayMs: number,
    private readonly clock: Clock,
    private readonly shutdown?: AbortSignal,
  ) {
    this.oneWayMs = oneWayMs;
  }

  /** Wraps a transport so every call crosses this link. */
  wrap(inner: Transport): Transport {
    return async (region, request, options) => {
      const signal = this.waitSignal(options.signal);
      if (this.refusing)
        throw new TransportError("refused", region, `link ${this.name} refusing (fault injected)`);
      if (this.partitioned) return this.blackhole(region, options.connectTimeoutMs, signal);
      await sleep(this.clock, this.oneWayMs, signal);
      const response = await inner(region, request, options);
      try {
        await sleep(this.clock, this.oneWayMs, signal);
      } catch (error) {
        // Nobody will read it now: release the body rather than pin a pooled connection.
        await response.body?.cancel().catch(() => {});
        throw error;
      }
      return response;
    };
  }

  private waitSignal(callerSignal: AbortSignal | undefined): AbortSignal | undefined {
    if (!this.shutdown) return callerSignal;
    return callerSignal ? AbortSignal.any([callerSignal, this.shutdown]) : this.shutdown;
  }

  private async blackhole(region: string, timeoutMs: number, signal?: AbortSignal): Promise<never> {
    await sleep(this.clock, timeoutMs, signal);
    throw new TransportError("connect_timeout", region, `link ${this.name} partitioned (fault injected)`);
  }
}
