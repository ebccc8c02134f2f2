import { MemoryStore } from "../../regions/store/memory-store.ts";
import type { CommitResult, LogEntry } from "../../regions/store/store.ts";

export interface EpochRun {
  fromSeq: number;
  epoch: number;
}

/** Does a log (its head and epoch runs) hold the entry at `seq` written in `epoch`? */
export function holds(headSeq: number, runs: readonly EpochRun[], seq: number, epoch: number): boolean {
  if (seq > headSeq) return false;
  let at: number | undefined;
  for (const run of runs) {
    if (run.fromSeq > seq) break;
    at = run.epoch;
  }
  return at === epoch;
}

/** A write a region accepted from a client (not one replicated to it). */
export interface OwnCommit {
  region: string;
  entry: LogEntry;
}

/**
 * A region's MemoryStore, as the region service uses it, that also tells the simulator's
 * checkers what it commits and where its log head is, synchronously and without copying the
 * log (Jepsen's checkers read history; here history is observed as it happens).
 */
export class ObservedStore extends MemoryStore {
  /** The seq of the last committed entry (0 when empty or cleared). */
  headSeq = 0;
  /**
   * The log's epochs, run-length encoded: entries from `fromSeq` on carry `epoch`, up to the next
   * run. A handful of runs per run of the simulation, so a checker can ask "did this region hold
   * seq s of epoch e?" at a promotion without copying the log.
   */
  epochRuns: EpochRun[] = [];
  /** Exact run time (ms) of the last commit of any kind. */
  onOwnCommit: ((commit: OwnCommit) => void) | undefined;

  /** `nowMs` is the region's clock: a write accepted from a client is stamped with it. */
  constructor(
    readonly regionName: string,
    private readonly nowMs: () => number,
  ) {
    super();
  }

  override async commit(entry: LogEntry): Promise<CommitResult> {
    const result = await super.commit(entry);
    if (result.ok) {
      this.headSeq = entry.seq;
      if (this.epochRuns.at(-1)?.epoch !== entry.epoch)
        this.epochRuns.push({ fromSeq: entry.seq, epoch: entry.epoch });
      if (this.isAcceptedNow(entry)) this.onOwnCommit?.({ region: this.regionName, entry });
    }
    return result;
  }

  /**
   * A client's write, accepted here now, rather than a replicated entry: the region stamps what it
   * accepts with its clock just before committing, while a replicated entry (even one this region
   * accepted long ago, replayed back to it after a resync) carries the time it was first accepted.
   */
  private isAcceptedNow(entry: LogEntry): boolean {
    return entry.origin === this.regionName && entry.atMs === this.nowMs();
  }

  override async clear(): Promise<void> {
    await super.clear();
    this.headSeq = 0;
    this.epochRuns = [];
  }
}
