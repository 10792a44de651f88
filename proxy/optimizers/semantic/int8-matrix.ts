/**
 * The coarse half of the vector index: every row quantized to int8 with its own scale, scored with a
 * WASM SIMD integer kernel. A quarter of the float matrix's bytes, so scanning 10k × 384 takes about
 * a third of the time; the few best rows are then rescored exactly (VectorIndex), so quantization
 * can reorder near-ties but never changes a reported similarity.
 *
 * The kernel, assembled from this WebAssembly text (wabt 1.0.37, no debug names):
 *
 *   (module
 *     (import "env" "memory" (memory 1))
 *     ;; scores8(matrix, query, rows, stride, out): out[r] = Σ int8 row r × int8 query, as i32;
 *     ;; byte offsets; stride in bytes, a multiple of 16
 *     (func (export "scores8") (param $m i32) (param $q i32) (param $rows i32) (param $stride i32)
 *           (param $out i32)
 *       (local $r i32) (local $i i32) (local $row i32) (local $acc v128) (local $a v128) (local $b v128)
 *       (local.set $row (local.get $m))
 *       (block $done (loop $rowloop
 *         (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
 *         (local.set $acc (v128.const i32x4 0 0 0 0))
 *         (local.set $i (i32.const 0))
 *         (block $rowdone (loop $inner
 *           (br_if $rowdone (i32.ge_u (local.get $i) (local.get $stride)))
 *           (local.set $a (v128.load (i32.add (local.get $row) (local.get $i))))
 *           (local.set $b (v128.load (i32.add (local.get $q) (local.get $i))))
 *           (local.set $acc (i32x4.add (local.get $acc) (i32x4.dot_i16x8_s
 *             (i16x8.extend_low_i8x16_s (local.get $a)) (i16x8.extend_low_i8x16_s (local.get $b)))))
 *           (local.set $acc (i32x4.add (local.get $acc) (i32x4.dot_i16x8_s
 *             (i16x8.extend_high_i8x16_s (local.get $a)) (i16x8.extend_high_i8x16_s (local.get $b)))))
 *           (local.set $i (i32.add (local.get $i) (i32.const 16)))
 *           (br $inner)))
 *         (i32.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 2)))
 *           (i32.add
 *             (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
 *             (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))
 *         (local.set $row (i32.add (local.get $row) (local.get $stride)))
 *         (local.set $r (i32.add (local.get $r) (i32.const 1)))
 *         (br $rowloop)))))
 */
const KERNEL_BASE64 =
  'AGFzbQEAAAABCQFgBX9/f39/AAIPAQNlbnYGbWVtb3J5AgABAwIBAAcLAQdzY29yZXM4AAAKuAEBtQECA38DeyAAIQcCQANAIAUgAk8NAf0M' +
  'AAAAAAAAAAAAAAAAAAAAACEIQQAhBgJAA0AgBiADTw0BIAcgBmr9AAQAIQkgASAGav0ABAAhCiAIIAn9hwEgCv2HAf26Af2uASEIIAggCf2I' +
  'ASAK/YgB/boB/a4BIQggBkEQaiEGDAALCyAEIAVBAnRqIAj9GwAgCP0bAWogCP0bAiAI/RsDamo2AgAgByADaiEHIAVBAWohBQwACwsL';

const PAGE = 65_536;
const LEVELS = 127;

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

/** Memory layout: [query | int32 scores, one per row | rows...], rows last so growing never copies. */
export class Int8Matrix {
  private readonly stride: number;
  private readonly maxRows: number;
  private readonly memory: WasmMemory;
  private readonly scoresFn: ScoresFn;
  private readonly scoresOffset: number;
  private readonly rowsOffset: number;
  /** 1 / (row's scale): turns an integer dot product back into a cosine. */
  private readonly unscale: Float32Array;
  private readonly approx: Float32Array;
  private bytes: Int8Array;
  private ints: Int32Array;
  private rowCapacity: number;

  constructor(dims: number, maxRows: number, initialRows = 16) {
    this.stride = Math.ceil(dims / 16) * 16;
    this.maxRows = maxRows;
    this.scoresOffset = this.stride;
    this.rowsOffset = this.scoresOffset + Math.ceil((maxRows * 4) / 16) * 16;
    this.rowCapacity = Math.min(initialRows, maxRows);
    this.unscale = new Float32Array(maxRows);
    this.approx = new Float32Array(maxRows);
    this.memory = new wasm.Memory({ initial: Math.ceil(this.bytesFor(this.rowCapacity) / PAGE) });
    kernel ??= new wasm.Module(Buffer.from(KERNEL_BASE64, 'base64'));
    const instance = new wasm.Instance(kernel, { env: { memory: this.memory } });
    this.scoresFn = instance.exports['scores8'] as ScoresFn;
    this.bytes = new Int8Array(this.memory.buffer);
    this.ints = new Int32Array(this.memory.buffer);
  }

  setRow(row: number, vector: Float32Array): void {
    if (row >= this.rowCapacity) this.grow(row + 1);
    this.unscale[row] = quantize(vector, this.bytes, this.rowsOffset + row * this.stride);
  }

  /** Approximate cosines of rows [0, rows) against the query; valid until the next call. */
  scores(query: Float32Array, rows: number): Float32Array {
    this.bytes.fill(0, 0, this.stride);
    const queryUnscale = quantize(query, this.bytes, 0);
    this.scoresFn(this.rowsOffset, 0, rows, this.stride, this.scoresOffset);
    const first = this.scoresOffset >> 2;
    for (let row = 0; row < rows; row++) {
      this.approx[row] = this.ints[first + row]! * this.unscale[row]! * queryUnscale;
    }
    return this.approx.subarray(0, rows);
  }

  private bytesFor(rows: number): number {
    return this.rowsOffset + rows * this.stride;
  }

  private grow(minRows: number): void {
    if (minRows > this.maxRows) throw new Error(`row ${minRows - 1} is beyond the ${this.maxRows} allowed`);
    this.rowCapacity = Math.min(Math.max(minRows, this.rowCapacity * 2), this.maxRows);
    const pages = Math.ceil(this.bytesFor(this.rowCapacity) / PAGE) - this.memory.buffer.byteLength / PAGE;
    if (pages > 0) this.memory.grow(pages);
    // Growing detaches the old ArrayBuffer, so every view must be recreated.
    this.bytes = new Int8Array(this.memory.buffer);
    this.ints = new Int32Array(this.memory.buffer);
  }
}

/** Writes round(v × 127 / max|v|) at `at` and returns the factor that undoes the scaling. */
function quantize(vector: Float32Array, into: Int8Array, at: number): number {
  let max = 0;
  for (let i = 0; i < vector.length; i++) max = Math.max(max, Math.abs(vector[i]!));
  if (max === 0) {
    into.fill(0, at, at + vector.length);
    return 0;
  }
  const scale = LEVELS / max;
  for (let i = 0; i < vector.length; i++) into[at + i] = Math.round(vector[i]! * scale);
  return max / LEVELS;
}
