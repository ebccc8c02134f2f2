import type { ControlRecord, ControlStore, SyncStandbyCondition } from "./control.ts";

/**
 * How a router or region asks one replica of the control record over the network (the
 * simulator's and live stack's model of a DynamoDB MRSC table's regional endpoints): one POST
 * per call, the operation in a JSON body, the answer in JSON. A replica that cannot decide (no
 * quorum) answers 503, and the caller tries the next replica.
 */
export const CONTROL_CALL_PATH = "/_control";

export type ControlCall =
  | { op: "read" }
  /** `expectedSyncStandby` absent: not checked (JSON has no undefined). */
  | {
      op: "compare-and-set";
      expectedEpoch: number | null;
      next: ControlRecord;
      expectedSyncStandby?: string | null;
    }
  | { op: "set-sync-standby"; expectedSyncStandby: string | null; next: ControlRecord };

export function compareAndSetCall(
  expectedEpoch: number | null,
  next: ControlRecord,
  expectedSyncStandby: SyncStandbyCondition,
): ControlCall {
  return expectedSyncStandby === undefined
    ? { op: "compare-and-set", expectedEpoch, next }
    : { op: "compare-and-set", expectedEpoch, next, expectedSyncStandby };
}

/** A replica's answer to one call, decided by the one authoritative record (`engine`). */
export async function answerControlCall(engine: ControlStore, call: ControlCall): Promise<Response> {
  switch (call.op) {
    case "read":
      return Response.json({ record: (await engine.read()) ?? null });
    case "compare-and-set":
      return Response.json({
        result: await engine.compareAndSet(call.expectedEpoch, call.next, call.expectedSyncStandby),
      });
    case "set-sync-standby":
      return Response.json({ result: await engine.setSyncStandby(call.expectedSyncStandby, call.next) });
  }
}

/** Reads a call from a request body; undefined if it is not one (the replica answers 400). */
export async function parseControlCall(request: Request): Promise<ControlCall | undefined> {
  try {
    const body = (await request.json()) as Partial<ControlCall> | null;
    if (body === null || typeof body !== "object") return undefined;
    if (body.op === "read") return { op: "read" };
    if ((body.op === "compare-and-set" || body.op === "set-sync-standby") && isRecord(body.next))
      return body as ControlCall;
    return undefined;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is ControlRecord {
  const r = value as ControlRecord | null;
  return (
    r !== null && typeof r === "object" && typeof r.activeRegion === "string" && typeof r.epoch === "number"
  );
}

/** The 503 a replica answers while it cannot reach a majority of the replicas and witness. */
export function noQuorumResponse(replica: string, reachable: number, members: number): Response {
  return Response.json(
    {
      error: "no_quorum",
      detail: `${replica} reaches ${reachable} of ${members} control replicas, fewer than a majority`,
    },
    { status: 503 },
  );
}
