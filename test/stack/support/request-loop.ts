import { CLIENT_TIMEOUT_MS } from "./test-stack.ts";

/** One request of a load loop, as the client saw it. */
export interface Outcome {
  op: "write" | "read";
  /** HTTP status, or 0 when no response arrived (connection error, client timeout). */
  status: number;
  error?: string;
  startedAtMs: number;
  durationMs: number;
  servedBy: string | null;
  servedReason: string | null;
  /**
   * The x-replication header: "degraded" when a sync-mode write was acknowledged without the
   * standby's confirmation (degrade-to-async), null otherwise.
   */
  replication: string | null;
  /** Writes: the item id the router acknowledged (201). */
  itemId?: string;
  idempotencyKey?: string;
}

export interface LoopOptions {
  routerUrl: string;
  /** Concurrent clients, each sending one request at a time. */
  workers: number;
  /** Pause between one client's requests: keeps the load bounded on a shared 2-core machine. */
  paceMs: number;
  /** Hard cap on requests, whatever happens. */
  maxRequests: number;
  /** Reads GET this item (one that both regions hold); without it the loop only writes. */
  readItemId?: string;
  /** Share of requests that are writes (POST with an Idempotency-Key), 0..1. */
  writeShare?: number;
  /** Client-side timeout per request (default: CLIENT_TIMEOUT_MS, what the router may take). */
  requestTimeoutMs?: number;
}

export interface RunningLoop {
  outcomes: Outcome[];
  stop(): Promise<Outcome[]>;
}

/**
 * A small, bounded load loop against the router: idempotent writes (POST with an
 * Idempotency-Key) and reads, the traffic that must survive a failover unharmed.
 */
export function startLoop(options: LoopOptions): RunningLoop {
  const outcomes: Outcome[] = [];
  let stopped = false;
  let sent = 0;
  const writeShare = options.readItemId === undefined ? 1 : (options.writeShare ?? 0.5);
  const worker = async (w: number) => {
    for (let i = 0; !stopped && sent < options.maxRequests; i++) {
      sent++;
      const write = (i * 7 + w) % 100 < writeShare * 100;
      outcomes.push(await (write ? writeOnce(options, `w${w}-${i}-${Date.now()}`) : readOnce(options)));
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, options.paceMs));
    }
  };
  const done = Promise.all(Array.from({ length: options.workers }, (_, w) => worker(w)));
  return {
    outcomes,
    async stop() {
      stopped = true;
      await done;
      return outcomes;
    },
  };
}

async function writeOnce(options: LoopOptions, key: string): Promise<Outcome> {
  const started = Date.now();
  const t0 = performance.now();
  try {
    const response = await fetch(`${options.routerUrl}/items`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": key },
      body: JSON.stringify({ data: { key } }),
      signal: AbortSignal.timeout(options.requestTimeoutMs ?? CLIENT_TIMEOUT_MS),
    });
    const body = (await response.json()) as { id?: string; error?: string; detail?: string };
    return {
      ...common(response, "write", started, t0),
      ...(response.ok && body.id ? { itemId: body.id } : { error: `${body.error}: ${body.detail}` }),
      idempotencyKey: key,
    };
  } catch (error) {
    return failed("write", started, t0, error, key);
  }
}

async function readOnce(options: LoopOptions): Promise<Outcome> {
  const started = Date.now();
  const t0 = performance.now();
  try {
    const response = await fetch(`${options.routerUrl}/items/${options.readItemId}`, {
      signal: AbortSignal.timeout(options.requestTimeoutMs ?? CLIENT_TIMEOUT_MS),
    });
    const body = (await response.json()) as { error?: string; detail?: string };
    return {
      ...common(response, "read", started, t0),
      ...(response.ok ? {} : { error: `${body.error}: ${body.detail}` }),
    };
  } catch (error) {
    return failed("read", started, t0, error);
  }
}

function common(response: Response, op: Outcome["op"], startedAtMs: number, t0: number): Outcome {
  return {
    op,
    status: response.status,
    startedAtMs,
    durationMs: performance.now() - t0,
    servedBy: response.headers.get("x-served-by"),
    servedReason: response.headers.get("x-served-reason"),
    replication: response.headers.get("x-replication"),
  };
}

function failed(op: Outcome["op"], startedAtMs: number, t0: number, error: unknown, key?: string): Outcome {
  return {
    op,
    status: 0,
    error: (error as Error).message,
    startedAtMs,
    durationMs: performance.now() - t0,
    servedBy: null,
    servedReason: null,
    replication: null,
    ...(key ? { idempotencyKey: key } : {}),
  };
}

/** The outcomes that were not answered 2xx, summarised for an assertion message. */
export function failures(outcomes: Outcome[]): string[] {
  return outcomes
    .filter((o) => o.status < 200 || o.status >= 300)
    .map(
      (o) =>
        `${o.op} ${o.status} at ${o.startedAtMs} after ${Math.round(o.durationMs)} ms via ${o.servedBy}: ${o.error}`,
    );
}

/**
 * Fails with every failed request listed (status, duration, region, error) if any request
 * failed; `context` (e.g. the router's decisions) is added to explain them.
 */
export function expectNoFailures(outcomes: Outcome[], context?: unknown): void {
  const failed = failures(outcomes);
  if (failed.length > 0) {
    const why = context === undefined ? "" : `\ncontext: ${JSON.stringify(context, null, 1)}`;
    throw new Error(`${failed.length} of ${outcomes.length} requests failed:\n${failed.join("\n")}${why}`);
  }
}
