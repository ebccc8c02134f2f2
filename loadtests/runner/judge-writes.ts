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
  orphanedReported: number;
  detail: string;
}

export function judgeWrites(input: {
  mode: "sync" | "async";
  acknowledgedIds: string[];
  missingIds: string[];
  orphanedIds: string[];
}): WritesVerdict {
  const { mode, acknowledgedIds, missingIds, orphanedIds } = input;
  const orphaned = new Set(orphanedIds);
  const unexplained = missingIds.filter((id) => !orphaned.has(id));
  const base = {
    acknowledged: acknowledgedIds.length,
    missing: missingIds.length,
    orphanedReported: orphanedIds.length,
  };
  if (mode === "sync" && missingIds.length > 0) {
    return {
      ok: false,
      ...base,
      detail: `synchronous replication lost ${missingIds.length} acknowledged write(s)`,
    };
  }
  if (unexplained.length > 0) {
    return {
      ok: false,
      ...base,
      detail: `${unexplained.length} missing write(s) not explained by replication lag (not orphaned): ${unexplained.slice(0, 5).join(", ")}`,
    };
  }
  const detail =
    missingIds.length === 0
      ? `all ${acknowledgedIds.length} acknowledged writes present on the active region`
      : `${missingIds.length} of ${acknowledgedIds.length} acknowledged writes lost to asynchronous replication (RPO), all orphaned by the old active`;
  return { ok: true, ...base, detail };
}
