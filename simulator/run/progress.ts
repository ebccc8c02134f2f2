import cliProgress from "cli-progress";

export interface Progress {
  update(done: number, label?: string): void;
  stop(): void;
}

/** A progress bar on stderr for long runs; nothing when stderr is not a terminal (CI, pipes, tests). */
export function progressBar(enabled = process.stderr.isTTY === true): Progress {
  if (!enabled) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: " {bar} {percentage}% | ETA {eta_formatted} | {label}",
      etaBuffer: 50,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(1000, 0, { label: "" });
  return {
    update: (done, label) => bar.update(Math.round(Math.min(1, done) * 1000), { label: label ?? "" }),
    stop: () => bar.stop(),
  };
}
