/**
 * Row-major Float32 matrix in WebAssembly memory, scored against a query with WASM SIMD.
 * A plain JavaScript loop takes ~3 ms to score 10k × 384 floats on this class of machine; the
 * f32x4 kernel below takes ~0.3 ms, which is what keeps a cache lookup under the 5 ms budget.
 *
 * The kernel, assembled from this WebAssembly text (wat2wasm, custom sections stripped):
 *
 *   (module
 *     (import "env" "memory" (memory 1))
 *     ;; scores(matrix, query, rows, stride, out): out[r] = dot(row r, query); byte offsets;
 *     ;; stride is in floats and a multiple of 8 (two f32x4 accumulators per step)
 *     (func (export "scores") (param $m i32) (param $q i32) (param $rows i32) (param $dims i32)
 *           (param $out i32)
 *       (local $r i32) (local $i i32) (local $row i32) (local $a v128) (local $b v128) (local $bytes i32)
 *       (local.set $bytes (i32.shl (local.get $dims) (i32.const 2)))
 *       (local.set $row (local.get $m))
 *       (block $done (loop $rowloop
 *         (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
 *         (local.set $a (v128.const f32x4 0 0 0 0))
 *         (local.set $b (v128.const f32x4 0 0 0 0))
 *         (local.set $i (i32.const 0))
 *         (block $rowdone (loop $inner
 *           (br_if $rowdone (i32.ge_u (local.get $i) (local.get $bytes)))
 *           (local.set $a (f32x4.add (local.get $a) (f32x4.mul
 *             (v128.load (i32.add (local.get $row) (local.get $i)))
 *             (v128.load (i32.add (local.get $q) (local.get $i))))))
 *           (local.set $b (f32x4.add (local.get $b) (f32x4.mul
 *             (v128.load offset=16 (i32.add (local.get $row) (local.get $i)))
 *             (v128.load offset=16 (i32.add (local.get $q) (local.get $i))))))
 *           (local.set $i (i32.add (local.get $i) (i32.const 32)))
 *           (br $inner)))
 *         (local.set $a (f32x4.add (local.get $a) (local.get $b)))
 *         (f32.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 2)))
 *           (f32.add
 *             (f32.add (f32x4.extract_lane 0 (local.get $a)) (f32x4.extract_lane 1 (local.get $a)))
 *             (f32.add (f32x4.extract_lane 2 (local.get $a)) (f32x4.extract_lane 3 (local.get $a)))))
 *         (local.set $row (i32.add (local.get $row) (local.get $bytes)))
 *         (local.set $r (i32.add (local.get $r) (i32.const 1)))
 *         (br $rowloop)))))
 */
const KERNEL_BASE64 =
  'AGFzbQEAAAABCQFgBX9/f39/AAIPAQNlbnYGbWVtb3J5AgABAwIBAAcKAQZzY29yZXMAAArYAQHVAQMDfwJ7AX8gA0ECdCEKIAAhBwJAA0AgBSAC' +
  'Tw0B/QwAAAAAAAAAAAAAAAAAAAAAIQj9DAAAAAAAAAAAAAAAAAAAAAAhCUEAIQYCQANAIAYgCk8NASAIIAcgBmr9AAQAIAEgBmr9AAQA/eYB/eQB' +
  'IQggCSAHIAZq/QAEECABIAZq/QAEEP3mAf3kASEJIAZBIGohBgwACwsgCCAJ/eQBIQggBCAFQQJ0aiAI/R8AIAj9HwGSIAj9HwIgCP0fA5KSOAIA' +
  'IAcgCmohByAFQQFqIQUMAAsLCw==';

const PAGE = 65_536;

/** The slice of the WebAssembly API used here: this project's lib settings declare none of it. */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
let kernel: object | null = null;

type ScoresFn = (matrix: number, query: number, rows: number, stride: number, out: number) => void;

/**
 * Memory layout: [query | scores (one float per row) | rows...]. The rows come last so that
 * growing the memory extends the matrix in place, without copying it.
 */
export class SimdMatrix {
  readonly dims: number;
  private readonly stride: number;
  private readonly maxRows: number;
  private readonly memory: WasmMemory;
  private readonly scoresFn: ScoresFn;
  private readonly scoresOffset: number;
  private readonly rowsOffset: number;
  private view: Float32Array;
  private rowCapacity: number;

  constructor(dims: number, maxRows: number, initialRows = 16) {
    this.dims = dims;
    this.stride = Math.ceil(dims / 8) * 8;
    this.maxRows = maxRows;
    this.scoresOffset = this.stride * 4;
    this.rowsOffset = this.scoresOffset + Math.ceil((maxRows * 4) / 32) * 32;
    this.rowCapacity = Math.min(initialRows, maxRows);
    this.memory = new wasm.Memory({ initial: Math.ceil(this.bytesFor(this.rowCapacity) / PAGE) });
    kernel ??= new wasm.Module(Buffer.from(KERNEL_BASE64, 'base64'));
    const instance = new wasm.Instance(kernel, { env: { memory: this.memory } });
    this.scoresFn = instance.exports['scores'] as ScoresFn;
    this.view = new Float32Array(this.memory.buffer);
  }

  /** Writes a row; grows the memory when the row is beyond the current capacity. */
  setRow(row: number, vector: Float32Array): void {
    if (row >= this.rowCapacity) this.grow(row + 1);
    const start = (this.rowsOffset >> 2) + row * this.stride;
    this.view.set(vector, start);
  }

  /** Scores of rows [0, rows) against the query; the view is valid until the next call. */
  scores(query: Float32Array, rows: number): Float32Array {
    this.view.fill(0, 0, this.stride);
    this.view.set(query, 0);
    this.scoresFn(this.rowsOffset, 0, rows, this.stride, this.scoresOffset);
    return this.view.subarray(this.scoresOffset >> 2, (this.scoresOffset >> 2) + rows);
  }

  private bytesFor(rows: number): number {
    return this.rowsOffset + rows * this.stride * 4;
  }

  private grow(minRows: number): void {
    if (minRows > this.maxRows) throw new Error(`row ${minRows - 1} is beyond the ${this.maxRows} allowed`);
    this.rowCapacity = Math.min(Math.max(minRows, this.rowCapacity * 2), this.maxRows);
    const pages = Math.ceil(this.bytesFor(this.rowCapacity) / PAGE) - this.memory.buffer.byteLength / PAGE;
    if (pages > 0) this.memory.grow(pages);
    // Growing detaches the old ArrayBuffer, so every view must be recreated.
    this.view = new Float32Array(this.memory.buffer);
  }
}
