import { ulid } from "ulid";
import { Agent, request } from "undici";

export interface LoadResult {
  method: string;
  path: string;
  startMs: number;
  endMs: number;
  status: number;
  servedBy: string | undefined;
  reason: string | undefined;
  error: string | undefined;
}

/**
 * Bounded closed-loop load on 127.0.0.1: `concurrency` loops, each sending its next request as
 * soon as the previous one finished, for `durationMs`. Requests alternate between a list read
 * (GET /items?limit=1) and an idempotent write (PUT /items/<ulid>).
 */
export async function runLoad(
  baseUrls: string[],
  options: {
    concurrency: number;
    /** How long the load runs; with `until`, the most it may run. */
    durationMs: number;
    pick?: (i: number) => "GET" | "PUT";
    /**
     * Stops the load once this holds (checked after each response): a test that needs traffic
     * on both sides of an event waits for the event, however slow a loaded machine makes it.
     */
    until?: (results: LoadResult[]) => boolean;
  },
): Promise<LoadResult[]> {
  const agent = new Agent({ connections: options.concurrency * baseUrls.length, keepAliveTimeout: 10_000 });
  const results: LoadResult[] = [];
  const endAt = Date.now() + options.durationMs;
  let n = 0;
  const loop = async (loopIndex: number) => {
    while (Date.now() < endAt && !options.until?.(results)) {
      const i = n++;
      const base = baseUrls[(loopIndex + i) % baseUrls.length]!;
      const method = options.pick ? options.pick(i) : i % 2 === 0 ? "GET" : "PUT";
      const path = method === "GET" ? "/items?limit=1" : `/items/${ulid()}`;
      const startMs = Date.now();
      try {
        const res = await request(base + path, {
          method,
          dispatcher: agent,
          headers: { "content-type": "application/json" },
          body: method === "PUT" ? JSON.stringify({ data: { i } }) : undefined,
        });
        await res.body.text();
        results.push({
          method,
          path,
          startMs,
          endMs: Date.now(),
          status: res.statusCode,
          servedBy: header(res.headers["x-served-by"]),
          reason: header(res.headers["x-served-reason"]),
          error: undefined,
        });
      } catch (error) {
        results.push({
          method,
          path,
          startMs,
          endMs: Date.now(),
          status: 0,
          servedBy: undefined,
          reason: undefined,
          error: String(error),
        });
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, i) => loop(i)));
  // Bun's built-in `undici` module has an Agent without close() (the router on Bun: README).
  await (agent as Partial<Pick<Agent, "close">>).close?.();
  return results;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 10 ms until it is true or `timeoutMs` passes. */
export async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await delay(10);
  }
}
