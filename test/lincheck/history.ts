/**
 * A history of operations on per-item registers, in the JSON that tools/lincheck reads (see its
 * main.go): one entry per PUT, DELETE or GET, with its call and return times in microseconds. A
 * PUT or DELETE whose outcome is unknown (no answer, a 5xx) has `returnUs: null`: it may have
 * taken effect at any time after its call. A GET that got no value is left out (it observed
 * nothing).
 */
export interface HistoryOp {
  client: number;
  key: string;
  op: "put" | "delete" | "get";
  /** put: the value written; get: the value seen, null for 404 (the item holds nothing); delete: null. */
  value: number | null;
  /** delete only, when answered: true for 204 (it removed a value), false for 404 (nothing there). */
  found?: boolean;
  callUs: number;
  returnUs: number | null;
  /** For a reader of a failed check: HTTP status and the region that answered. */
  note?: string;
}

export interface History {
  ops: HistoryOp[];
}

/** Records operations against one time origin (the injected time source, in ms). */
export class HistoryRecorder {
  readonly ops: HistoryOp[] = [];
  private readonly originMs: number;

  constructor(private readonly nowMs: () => number) {
    this.originMs = nowMs();
  }

  /** Microseconds since the recorder started. */
  nowUs(): number {
    return Math.round((this.nowMs() - this.originMs) * 1000);
  }

  record(op: HistoryOp): void {
    this.ops.push(op);
  }

  history(): History {
    return { ops: this.ops };
  }
}

/** A write the clients send: a PUT of a unique integer, or a DELETE. */
export type WriteKind = "put" | "delete";

/**
 * A PUT or DELETE as the history records it, from its answer (undefined: none came). Only a 2xx
 * is known to have taken effect, and a DELETE's 404 `not_found` is known to have found nothing
 * (items-routes.ts answers it before committing); anything else may or may not have taken effect,
 * so it stays open (`returnUs: null`).
 */
export function writeOp(
  write: { client: number; key: string; kind: WriteKind; value: number | null; callUs: number },
  answer: { status: number; error: string | undefined; returnUs: number } | undefined,
  note: string,
): HistoryOp {
  const { client, key, kind, callUs } = write;
  const value = kind === "put" ? write.value : null;
  const applied = answer !== undefined && answer.status >= 200 && answer.status < 300;
  const absent = kind === "delete" && answer?.status === 404 && answer.error === "not_found";
  const returnUs = applied || absent ? answer!.returnUs : null;
  if (kind === "put") return { client, key, op: "put", value, callUs, returnUs, note };
  return returnUs === null
    ? { client, key, op: "delete", value, callUs, returnUs, note }
    : { client, key, op: "delete", value, found: applied, callUs, returnUs, note };
}

/** The `error` field of a JSON error body, if it has one. */
export function errorCodeOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    return typeof parsed.error === "string" ? parsed.error : undefined;
  } catch {
    return undefined;
  }
}
