export type DecisionKind =
  | "health"
  | "passive"
  | "promote"
  | "adopt"
  | "conflict"
  | "blocked"
  | "control-error"
  | "admin";

/** One thing the router decided or learnt, with its reason: what /_router/status shows. */
export interface Decision {
  atMs: number;
  kind: DecisionKind;
  region?: string;
  epoch?: number;
  reason: string;
}

/** The most recent decisions, oldest first; a fixed-size ring so a flapping region cannot grow memory. */
export class DecisionLog {
  private readonly entries: Decision[] = [];

  constructor(private readonly capacity = 100) {}

  add(decision: Decision): void {
    this.entries.push(decision);
    if (this.entries.length > this.capacity) this.entries.shift();
  }

  recent(): Decision[] {
    return this.entries.slice();
  }

  last(): Decision | undefined {
    return this.entries[this.entries.length - 1];
  }
}
