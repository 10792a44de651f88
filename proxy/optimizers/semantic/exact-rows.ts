/**
 * Full-precision copies of the index's vectors. Only the coarse index's shortlist is read from here,
 * a handful of rows per lookup, so a plain loop is fast enough and the reported similarity is exact.
 */
export class ExactRows {
  private readonly dims: number;
  private readonly maxRows: number;
  private data: Float32Array;

  constructor(dims: number, maxRows: number, initialRows = 16) {
    this.dims = dims;
    this.maxRows = maxRows;
    this.data = new Float32Array(Math.min(initialRows, maxRows) * dims);
  }

  setRow(row: number, vector: Float32Array): void {
    if ((row + 1) * this.dims > this.data.length) this.grow(row + 1);
    this.data.set(vector, row * this.dims);
  }

  dot(row: number, query: Float32Array): number {
    const base = row * this.dims;
    let sum = 0;
    for (let i = 0; i < this.dims; i++) sum += this.data[base + i]! * query[i]!;
    return sum;
  }

  private grow(minRows: number): void {
    if (minRows > this.maxRows) throw new Error(`row ${minRows - 1} is beyond the ${this.maxRows} allowed`);
    const rows = Math.min(Math.max(minRows, (this.data.length / this.dims) * 2), this.maxRows);
    const grown = new Float32Array(rows * this.dims);
    grown.set(this.data);
    this.data = grown;
  }
}
