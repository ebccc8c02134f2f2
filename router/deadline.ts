/**
 * Settles like `work`, or rejects with the signal's reason as soon as the signal aborts. A
 * transport that ignores its signal (a simulated one, a buggy one) still cannot hold the router
 * past its deadline. A result that arrives after the deadline goes to `onLate`, so a response
 * body nobody will read can be released instead of pinning a pooled connection.
 */
export function raceSignal<T>(
  work: Promise<T>,
  signal: AbortSignal,
  onLate?: (value: T) => void,
): Promise<T> {
  if (signal.aborted) {
    work.then((value) => onLate?.(value), ignore);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const onAbort = () => {
      if (settled) return;
      settled = true;
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        if (settled) onLate?.(value);
        else {
          settled = true;
          resolve(value);
        }
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        if (settled) return;
        settled = true;
        reject(error);
      },
    );
  });
}

/** Releases a response nobody will read (late, or only its status mattered). */
export function discardBody(response: Response): void {
  response.body?.cancel().catch(ignore);
}

function ignore(): void {}
