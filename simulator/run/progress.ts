export interface Progress {
  update(done: number, label?: string): void;
  stop(): void;
}

const WIDTH = 30;

/**
 * A progress bar on stderr for long runs; nothing when stderr is not a terminal (CI, pipes, tests).
 *
 * It draws only inside `update`, which the run loop calls between events, and sets no timer:
 * a render timer (cli-progress has one) would be counted as the simulated code's real timer
 * (simulator/engine/settle.ts) and put a false warning in the JSON of a terminal run only, so a
 * terminal run and a piped run of one seed would not write the same JSON. The wall clock it reads
 * for the ETA is the harness's, never the simulated code's.
 */
export function progressBar(
  enabled = process.stderr.isTTY === true,
  stream: NodeJS.WritableStream = process.stderr,
): Progress {
  if (!enabled) return { update: () => {}, stop: () => {} };
  const startedMs = performance.now();
  let shown = "";
  let drawn = false;
  return {
    update(done, label = "") {
      const share = Math.max(0, Math.min(1, done));
      const line = renderLine(share, label, performance.now() - startedMs);
      if (line === shown) return;
      shown = line;
      drawn = true;
      stream.write(`\r${line}\u001b[K`);
    },
    stop() {
      if (drawn) stream.write("\r\u001b[K");
      drawn = false;
    },
  };
}

/** " [#####.....]  42% | ETA 12 s | label", whole seconds and percent so it redraws rarely. */
export function renderLine(share: number, label: string, elapsedMs: number): string {
  const filled = Math.round(share * WIDTH);
  const percent = Math.floor(share * 100);
  const etaS = share > 0.01 ? Math.ceil(((1 - share) * elapsedMs) / share / 1000) : undefined;
  const eta = etaS === undefined ? "ETA -" : `ETA ${etaS} s`;
  return ` [${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${String(percent).padStart(3)}% | ${eta}${label ? ` | ${label}` : ""}`;
}
