/**
 * A sum over the last `windowMs`, kept in fixed buckets so that memory and cost stay
 * constant however many events arrive; the window slides one bucket at a time.
 */
export class RollingSum {
  private readonly bucketMs: number;
  private readonly sums: number[];
  private readonly epochs: number[];
  private readonly now: () => number;

  constructor(windowMs: number, buckets: number, now: () => number) {
    this.now = now;
    this.bucketMs = Math.max(1, windowMs / buckets);
    this.sums = new Array<number>(buckets).fill(0);
    this.epochs = new Array<number>(buckets).fill(-Infinity);
  }

  add(amount = 1): void {
    const epoch = Math.floor(this.now() / this.bucketMs);
    const slot = ((epoch % this.sums.length) + this.sums.length) % this.sums.length;
    if (this.epochs[slot] !== epoch) {
      this.epochs[slot] = epoch;
      this.sums[slot] = 0;
    }
    this.sums[slot] = (this.sums[slot] ?? 0) + amount;
  }

  sum(): number {
    const oldest = Math.floor(this.now() / this.bucketMs) - this.sums.length;
    let total = 0;
    for (let slot = 0; slot < this.sums.length; slot++) {
      if ((this.epochs[slot] ?? -Infinity) > oldest) total += this.sums[slot] ?? 0;
    }
    return total;
  }

  clear(): void {
    this.sums.fill(0);
    this.epochs.fill(-Infinity);
  }
}
