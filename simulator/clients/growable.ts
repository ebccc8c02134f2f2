/** A Float64Array that doubles when full: per-write facts without one object per write. */
export class GrowableFloat64 {
  private data: Float64Array;
  length = 0;

  constructor(
    initialCapacity = 1024,
    private readonly fill = Number.NaN,
  ) {
    this.data = new Float64Array(initialCapacity).fill(fill);
  }

  push(value: number): number {
    this.ensure(this.length + 1);
    this.data[this.length] = value;
    return this.length++;
  }

  get(index: number): number {
    return index < this.length ? this.data[index]! : this.fill;
  }

  set(index: number, value: number): void {
    this.ensure(index + 1);
    this.data[index] = value;
    if (index >= this.length) this.length = index + 1;
  }

  private ensure(capacity: number): void {
    if (capacity <= this.data.length) return;
    let next = this.data.length * 2;
    while (next < capacity) next *= 2;
    const grown = new Float64Array(next).fill(this.fill);
    grown.set(this.data);
    this.data = grown;
  }
}
