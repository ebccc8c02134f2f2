/**
 * Whether the writes lost in a run are explained. Synchronous replication acknowledges a write
 * only once the standby holds it, so nothing acknowledged may be missing. Asynchronous
 * replication may lose the writes still in flight when the active region died: each missing
 * write must be one the old active region reported as orphaned (written there, never received
 * by the new active) when it rejoined; anything else is a bug, not replication lag.
 */
export interface WritesVerdict {
  ok: boolean;
  acknowledged: number;
  missing: number;
  /** Acknowledged updates whose value is not the item's final one (lost updates). */
  stale: number;
  orphanedReported: number;
  detail: string;
}

export function judgeWrites(input: {
  mode: "sync" | "async";
  acknowledgedIds: string[];
  missingIds: string[];
  /** Items read back with a value no acknowledged write left there (a lost update). */
  staleIds?: string[];
  orphanedIds: string[];
}): WritesVerdict {
  const { mode, acknowledgedIds, missingIds, orphanedIds } = input;
  const staleIds = input.staleIds ?? [];
  const orphaned = new Set(orphanedIds);
  const lostIds = [...missingIds, ...staleIds];
  const unexplained = lostIds.filter((id) => !orphaned.has(id));
  const base = {
    acknowledged: acknowledgedIds.length,
    missing: missingIds.length,
    stale: staleIds.length,
    orphanedReported: orphanedIds.length,
  };
  const what = `${missingIds.length} missing, ${staleIds.length} with an older value (lost update)`;
  if (mode === "sync" && lostIds.length > 0) {
    return {
      ok: false,
      ...base,
      detail: `synchronous replication lost ${lostIds.length} acknowledged write(s): ${what}`,
    };
  }
  if (unexplained.length > 0) {
    return {
      ok: false,
      ...base,
      detail: `${unexplained.length} acknowledged write(s) lost and not explained by replication lag (not orphaned; ${what}): ${unexplained.slice(0, 5).join(", ")}`,
    };
  }
  const detail =
    lostIds.length === 0
      ? `all ${acknowledgedIds.length} acknowledged writes read back with their final values on the active region`
      : `${lostIds.length} of ${acknowledgedIds.length} acknowledged writes lost to asynchronous replication (RPO): ${what}, all orphaned by the old active`;
  return { ok: true, ...base, detail };
}
