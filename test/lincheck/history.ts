/**
 * A history of operations on per-item registers, in the JSON that tools/lincheck reads (see its
 * main.go): one entry per PUT or GET, with its call and return times in microseconds. A PUT whose
 * outcome is unknown (no answer, a 5xx) has `returnUs: null`: it may have taken effect at any
 * time after its call. A GET that got no value is left out (it observed nothing).
 */
export interface HistoryOp {
  client: number;
  key: string;
  op: "put" | "get";
  /** put: the value written; get: the value seen, null for 404 (the item holds nothing). */
  value: number | null;
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
