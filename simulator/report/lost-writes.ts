import { WRITE_KEY_PREFIX, type WriteLedger } from "../clients/write-ledger.ts";
import type { PlannedFault } from "../scenario/resolved-scenario.ts";
import type { Cell } from "../system/build-system.ts";
import { holds } from "../system/observed-store.ts";
import type { Promotion } from "./promotions.ts";

export interface LostWrite {
  key: string;
  client: number;
  cell: number;
  sentMs: number;
  ackMs: number;
  /** Where it was committed (region, epoch, seq), if the commit was observed. */
  region: string | undefined;
  epoch: number | undefined;
  seq: number | undefined;
  /** The promotion that left it behind, if any. */
  promotionAtMs: number | undefined;
  /** How long it had waited for replication when its region stopped accepting writes (its share of the RPO). */
  lagMs: number | undefined;
  /** The replication lag in entries at that promotion. */
  lagEntries: number | undefined;
  /** True when replication lag explains the loss: it was above the new active's head at promotion. */
  explained: boolean;
  /** Acknowledged without the standby (sync mode degraded to async): losing it is the documented risk. */
  degraded: boolean;
}

export interface LostWritesResult {
  acknowledged: number;
  lost: number;
  unexplained: number;
  /** Lost writes that had been acknowledged as degraded (sync mode acknowledging without the standby). */
  lostDegraded: number;
  /** RPO (README glossary): the largest of the promotions' RPOs (0 when nothing was lost). */
  rpoMs: number;
  /** Per promotion that lost writes: how many, and its RPO. */
  byPromotion: { cell: number; atMs: number; lost: number; rpoMs: number }[];
  /** The first LISTED_MAX lost writes and every unexplained one; all of them are in the NDJSON file. */
  list: LostWrite[];
  /** The NDJSON file beside the JSON report that lists every lost write, one per line. */
  allIn?: string;
}

const LISTED_MAX = 200;

/**
 * Jepsen's check: every write acknowledged to a client is looked up at the end in its cell's
 * final active region (by its Idempotency-Key, which the region stores with the item). A missing
 * one is lost. A loss is explained only if the write was committed in an epoch that ended by a
 * promotion of a region that did not hold it (never replicated there); anything else is a
 * correctness bug.
 */
export async function checkLostWrites(
  ledger: WriteLedger,
  cells: readonly Cell[],
  promotions: readonly Promotion[],
  faults: readonly PlannedFault[] = [],
): Promise<LostWritesResult & { all: LostWrite[] }> {
  let acknowledged = 0;
  let unexplained = 0;
  let lostDegraded = 0;
  const all: LostWrite[] = [];
  let lost = 0;
  /** Per promotion: the last commit the new active held from the old epoch (its recovery point). */
  const recoveryPointMs = new Map<Promotion, number>();
  const lostBy = new Map<Promotion, { count: number; oldestCommitMs: number; newestCommitMs: number }>();
  for (let i = 0; i < ledger.size; i++) {
    if (!ledger.isAcknowledged(i)) continue;
    acknowledged++;
    const cell = cells[ledger.cellOf(i)]!;
    const commit = ledger.entry(i).commit;
    const over = commit
      ? promotions.find(
          (p) => p.cell === cell.index && p.fromEpoch === commit.epoch && p.from === commit.region,
        )
      : undefined;
    if (over && commit && holds(over.newActiveHeadSeq, over.newActiveEpochRuns, commit.seq, commit.epoch))
      recoveryPointMs.set(over, Math.max(recoveryPointMs.get(over) ?? 0, commit.atMs));
    const active = cell.control.current()?.activeRegion ?? cell.activeAtStart;
    const store = cell.regions.get(active)!.store;
    const wasDown = store.down;
    store.down = false;
    const found = await store.getIdempotentItemId(`${WRITE_KEY_PREFIX}${i}`);
    store.down = wasDown;
    if (found !== undefined) continue;
    lost++;
    const entry = ledger.entry(i);
    const promotion = entry.commit
      ? promotions.find(
          (p) =>
            p.cell === cell.index && p.fromEpoch === entry.commit!.epoch && p.from === entry.commit!.region,
        )
      : undefined;
    // Lag explains the loss if the region promoted over the write's epoch did not hold it then
    // (above its head, or that seq held a different epoch's entry: the logs had diverged).
    const explained =
      promotion !== undefined &&
      entry.commit !== undefined &&
      !holds(promotion.newActiveHeadSeq, promotion.newActiveEpochRuns, entry.commit.seq, entry.commit.epoch);
    if (!explained) unexplained++;
    if (entry.degraded) lostDegraded++;
    const stoppedMs = promotion ? cutOffMs(promotion, faults) : undefined;
    const lagMs =
      stoppedMs !== undefined && entry.commit ? Math.max(0, stoppedMs - entry.commit.atMs) : undefined;
    if (promotion && entry.commit) {
      const seen = lostBy.get(promotion);
      lostBy.set(promotion, {
        count: (seen?.count ?? 0) + 1,
        oldestCommitMs: Math.min(seen?.oldestCommitMs ?? Number.POSITIVE_INFINITY, entry.commit.atMs),
        newestCommitMs: Math.max(seen?.newestCommitMs ?? 0, entry.commit.atMs),
      });
    }
    all.push({
      key: entry.key,
      client: entry.client,
      cell: cell.index,
      sentMs: entry.sentMs,
      ackMs: entry.ackMs!,
      region: entry.commit?.region,
      epoch: entry.commit?.epoch,
      seq: entry.commit?.seq,
      promotionAtMs: promotion?.atMs,
      lagMs,
      lagEntries: promotion ? promotion.oldActiveHeadSeq - promotion.newActiveHeadSeq : undefined,
      explained,
      degraded: entry.degraded,
    });
  }
  const byPromotion = [...lostBy].map(([p, l]) => ({
    cell: p.cell,
    atMs: p.atMs,
    lost: l.count,
    rpoMs: rpoOf(p, l, recoveryPointMs.get(p), faults),
  }));
  const rpoMs = Math.max(0, ...byPromotion.map((b) => b.rpoMs));
  const list = all.filter((w, i) => i < LISTED_MAX || !w.explained);
  return { acknowledged, lost, unexplained, lostDegraded, rpoMs, byPromotion, list, all };
}

/**
 * RPO of one promotion (README glossary): how far back in time the promoted region's data was
 * when the old active was cut off: from its recovery point (the last write from the old epoch
 * it held; without one, the oldest write it lost) to the cut-off.
 */
function rpoOf(
  promotion: Promotion,
  lost: { oldestCommitMs: number; newestCommitMs: number },
  recoveryPointMs: number | undefined,
  faults: readonly PlannedFault[],
): number {
  const from =
    recoveryPointMs !== undefined && recoveryPointMs < lost.oldestCommitMs
      ? recoveryPointMs
      : lost.oldestCommitMs;
  // A fenced region can go on accepting writes until its lease ends: its last one ends the window.
  const to = Math.max(cutOffMs(promotion, faults), lost.newestCommitMs);
  return Math.round(Math.max(0, to - from) * 1000) / 1000;
}

/**
 * When the old active region was cut off: the start of the last fault that took it away before
 * the promotion, or the last write it accepted if that was later (or no fault explains it).
 */
function cutOffMs(promotion: Promotion, faults: readonly PlannedFault[]): number {
  let cut = promotion.oldActiveLastAcceptMs ?? promotion.atMs;
  for (const f of faults) {
    if (f.warrantsFailoverFrom.includes(promotion.from) && f.startMs <= promotion.atMs && f.startMs > cut)
      cut = f.startMs;
  }
  return cut;
}
