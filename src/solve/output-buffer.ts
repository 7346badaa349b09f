/** Growable store of output rows (amortised doubling; not on the per-step hot path otherwise). */
export class OutputBuffer {
  private t: Float64Array;
  private y: Float64Array;
  count = 0;

  constructor(private readonly n: number, capacity: number) {
    const cap = Math.max(4, capacity);
    this.t = new Float64Array(cap);
    this.y = new Float64Array(cap * n);
  }

  push(t: number, y: Float64Array): void {
    const off = this.reserve(t);
    for (let i = 0; i < this.n; i++) this.y[off + i] = y[i];
  }

  /** Appends a row at time t and returns its offset into the row store; the caller fills it. */
  private reserve(t: number): number {
    if (this.count === this.t.length) {
      const cap = this.t.length * 2;
      const t2 = new Float64Array(cap);
      t2.set(this.t);
      const y2 = new Float64Array(cap * this.n);
      y2.set(this.y);
      this.t = t2;
      this.y = y2;
    }
    this.t[this.count] = t;
    return this.count++ * this.n;
  }

  /** Copies of the rows so far. */
  finish(): { t: Float64Array; y: Float64Array } {
    return { t: this.t.slice(0, this.count), y: this.y.slice(0, this.count * this.n) };
  }

  /** Views of the rows so far, valid until the next push or clear (for a buffer reused between runs). */
  views(): { t: Float64Array; y: Float64Array } {
    return { t: this.t.subarray(0, this.count), y: this.y.subarray(0, this.count * this.n) };
  }

  /** Empties the buffer, keeping its storage. */
  clear(): void {
    this.count = 0;
  }
}
