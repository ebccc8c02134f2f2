import type { Random } from "../../core/random.ts";

/** The most recent item ids a cell committed, so reads ask for items that exist (or did). */
export class KnownIds {
  private readonly ids: string[] = [];
  private next = 0;

  constructor(private readonly capacity = 256) {}

  add(id: string): void {
    if (this.ids.length < this.capacity) this.ids.push(id);
    else {
      this.ids[this.next] = id;
      this.next = (this.next + 1) % this.capacity;
    }
  }

  /** Always draws once, so how many ids are known never shifts a client's later draws. */
  pick(random: Random): string | undefined {
    const draw = random.next();
    if (this.ids.length === 0) return undefined;
    return this.ids[Math.floor(draw * this.ids.length)];
  }
}
