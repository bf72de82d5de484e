/**
 * A Float64Array that grows by doubling: the column builder of the CSV readers (read-table.ts,
 * plain-csv.ts), so a column of n numbers costs O(n) copies in all and no per-value objects.
 */
export class GrowableFloat64 {
  data: Float64Array;
  length = 0;
  constructor(initialCapacity = 4096) {
    this.data = new Float64Array(initialCapacity);
  }
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
  /** The first `length` values (a copy, exactly sized). */
  finish(length = this.length): Float64Array {
    return this.data.slice(0, length);
  }
}
