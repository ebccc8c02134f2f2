import { signatureHeaders } from "./auth/sign-request.ts";
import type { OrphanView } from "./orphaned-writes.ts";
import { REPLICATION_PATH } from "./protocol.ts";

/**
 * The operator's side of orphaned writes (`failover orphans`): reads a region's orphans over
 * HTTP, re-applies one through the active region's ordinary write path (a new log entry there,
 * replicated like any write), then marks it re-applied on the region holding it, over that
 * region's replication listener, signed with the replication key.
 */
export interface OrphanHolder {
  name: string;
  /** Its client-facing URL (GET /region/orphaned, /region). */
  url: string;
  /** Its replication listener (POST /_replication/orphans/:id/reapplied). */
  replicationUrl: string;
  /** Its peer's name: the only sender its listener accepts. */
  peerName: string;
}

export class OrphansClientError extends Error {
  override name = "OrphansClientError";
}

export async function listAllOrphans(holder: OrphanHolder): Promise<OrphanView[]> {
  const all: OrphanView[] = [];
  let after: string | null = null;
  do {
    const query: string = after === null ? "?limit=1000" : `?limit=1000&after=${encodeURIComponent(after)}`;
    const page = (await getJson(`${holder.url}/region/orphaned${query}`)) as {
      orphaned: OrphanView[];
      next: string | null;
    };
    all.push(...page.orphaned);
    after = page.next;
  } while (after !== null);
  return all;
}

export async function regionStatus(
  url: string,
): Promise<{ activeRegion: string | null; epoch: number | null }> {
  return (await getJson(`${url}/region`)) as { activeRegion: string | null; epoch: number | null };
}

export type ReapplyOutcome =
  | { kind: "reapplied"; region: string; seq: number; epoch: number }
  | { kind: "nothing_to_delete" };

/** Sends the orphan's write to `writeUrl` (the active region or a router in front of it). */
export async function reapplyWrite(
  orphan: OrphanView,
  writeUrl: string,
  epoch: number,
): Promise<ReapplyOutcome> {
  const op = orphan.entry.op;
  const response =
    op.kind === "put"
      ? await fetch(`${writeUrl}/items/${op.item.id}`, {
          method: "PUT",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ data: op.item.data }),
        })
      : await fetch(`${writeUrl}/items/${op.id}`, { method: "DELETE" });
  const text = await response.text();
  if (op.kind === "delete" && response.status === 404) return { kind: "nothing_to_delete" };
  if (response.status >= 300) {
    throw new OrphansClientError(
      `the write for orphan ${orphan.id} got ${response.status}: ${text.slice(0, 300)}`,
    );
  }
  const seq = Number(response.headers.get("x-log-seq"));
  const region = response.headers.get("x-region") ?? response.headers.get("x-served-by") ?? "unknown";
  return { kind: "reapplied", region, seq, epoch };
}

/** Records the re-application on the holder; refuses (409) an orphan already marked. */
export async function markReapplied(
  holder: OrphanHolder,
  orphanId: string,
  where: { region: string; seq: number; epoch: number },
  key: Uint8Array,
  nowMs: number,
): Promise<void> {
  const path = `${REPLICATION_PATH.replace(/\/entries$/, "")}/orphans/${orphanId}/reapplied`;
  const body = JSON.stringify({ region: where.region, seq: where.seq, epoch: where.epoch });
  const headers = signatureHeaders(key, {
    method: "POST",
    path,
    body,
    from: holder.peerName,
    timestampMs: nowMs,
    epoch: where.epoch,
    nonce: `operator-${nowMs.toString(36)}-${orphanId}`,
  });
  const response = await fetch(`${holder.replicationUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  if (!response.ok) {
    throw new OrphansClientError(
      `marking orphan ${orphanId} re-applied on ${holder.name} got ${response.status}: ${(await response.text()).slice(0, 300)}`,
    );
  }
}

async function getJson(url: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new OrphansClientError(`cannot reach ${url}: ${(error as Error).message}`);
  }
  const text = await response.text();
  if (!response.ok) throw new OrphansClientError(`${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}
