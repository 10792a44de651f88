import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import * as ort from 'onnxruntime-node';
import { chunk, l2Normalize, type Embedder } from './embedder.ts';

/** Preferred first: int8 weights are ~4x smaller and ~2x faster on CPU than fp32, at cosine ≥ 0.99. */
const MODEL_FILES = [
  'model_int8.onnx',
  'model_quantized.onnx',
  'onnx/model_quantized.onnx',
  'model.onnx',
  'onnx/model.onnx',
];
const FETCH_HINT = 'run scripts/fetch-embedding-model.sh';

export interface OnnxEmbedderOptions {
  /** Longer inputs are truncated; all-MiniLM-L6-v2 was trained on 128-token inputs. */
  maxTokens?: number;
  /**
   * Defaults to 2 (at most the machine's cores): on the 2-core target one thread takes ~4 ms per
   * short question, two ~2.4 ms; more would only contend with the proxy's own event loop.
   */
  intraOpThreads?: number;
  /** Texts per session run; bounds memory for large batches. */
  batchSize?: number;
}

interface Encoded {
  ids: number[];
  mask: number[];
}

/**
 * A sentence-transformers MiniLM (all-MiniLM-L6-v2) run locally with onnxruntime: WordPiece tokens,
 * mean pooling over the attention mask, L2 normalization — the same pipeline as the Python model.
 */
export class OnnxEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  readonly threads: number;
  private readonly session: ort.InferenceSession;
  private readonly tokenizer: Tokenizer;
  private readonly maxTokens: number;
  private readonly batchSize: number;
  private readonly sepId: number;

  private constructor(
    session: ort.InferenceSession,
    tokenizer: Tokenizer,
    id: string,
    dimensions: number,
    options: OnnxEmbedderOptions,
  ) {
    this.session = session;
    this.tokenizer = tokenizer;
    this.id = id;
    this.dimensions = dimensions;
    this.maxTokens = options.maxTokens ?? 128;
    this.batchSize = options.batchSize ?? 32;
    this.sepId = tokenizer.token_to_id('[SEP]') ?? 102;
    this.threads = options.intraOpThreads ?? defaultThreads();
  }

  /** Loads model and tokenizer from a local directory; never downloads anything. */
  static async load(modelDir: string, options: OnnxEmbedderOptions = {}): Promise<OnnxEmbedder> {
    const modelFile = MODEL_FILES.map((file) => join(modelDir, file)).find((path) => existsSync(path));
    const tokenizerFile = join(modelDir, 'tokenizer.json');
    if (!modelFile || !existsSync(tokenizerFile)) {
      const missing = modelFile ? 'tokenizer.json' : `an ONNX model (${MODEL_FILES.join(', ')})`;
      throw new Error(`embedding model not found: ${modelDir} has no ${missing}; ${FETCH_HINT}`);
    }
    const tokenizerJson: unknown = JSON.parse(await readFile(tokenizerFile, 'utf8'));
    const tokenizer = new Tokenizer(tokenizerJson as object, {});
    const session = await ort.InferenceSession.create(modelFile, {
      intraOpNumThreads: options.intraOpThreads ?? defaultThreads(),
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    const dims = outputDimensions(session);
    const id = `onnx:${basename(modelDir)}/${basename(modelFile)}`;
    const embedder = new OnnxEmbedder(session, tokenizer, id, dims ?? 0, options);
    if (dims !== null) return embedder;
    // The model's metadata left the width symbolic: learn it from one run.
    const [probe] = await embedder.embed(['probe']);
    return new OnnxEmbedder(session, tokenizer, id, probe!.length, options);
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const batch of chunk(texts, this.batchSize)) out.push(...(await this.embedBatch(batch)));
    return out;
  }

  private async embedBatch(texts: string[]): Promise<Float32Array[]> {
    const encoded = texts.map((text) => this.encode(text));
    const seqLen = Math.max(...encoded.map((e) => e.ids.length));
    const size = texts.length * seqLen;
    // Padding with id 0 / mask 0: padded positions are excluded from the pooled mean below.
    const ids = new BigInt64Array(size);
    const mask = new BigInt64Array(size);
    encoded.forEach((e, row) => {
      for (let i = 0; i < e.ids.length; i++) {
        ids[row * seqLen + i] = BigInt(e.ids[i]!);
        mask[row * seqLen + i] = BigInt(e.mask[i]!);
      }
    });
    const dims = [texts.length, seqLen];
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', ids, dims),
      attention_mask: new ort.Tensor('int64', mask, dims),
    };
    if (this.session.inputNames.includes('token_type_ids')) {
      feeds['token_type_ids'] = new ort.Tensor('int64', new BigInt64Array(size), dims);
    }
    const result = await this.session.run(feeds);
    const hidden = result[this.session.outputNames[0]!]!;
    const width = hidden.dims[2]!;
    return encoded.map((e, row) => meanPool(hidden.data as Float32Array, row, seqLen, width, e.mask));
  }

  private encode(text: string): Encoded {
    const encoding = this.tokenizer.encode(text);
    let ids = encoding.ids;
    let mask = encoding.attention_mask;
    if (ids.length > this.maxTokens) {
      // Keep the leading tokens and the closing [SEP], as the Python tokenizer's truncation does.
      ids = [...ids.slice(0, this.maxTokens - 1), this.sepId];
      mask = mask.slice(0, this.maxTokens);
    }
    return { ids, mask };
  }
}

function meanPool(
  data: Float32Array,
  row: number,
  seqLen: number,
  width: number,
  mask: number[],
): Float32Array {
  const pooled = new Float32Array(width);
  let count = 0;
  for (let t = 0; t < mask.length; t++) {
    if (mask[t] === 0) continue;
    count++;
    const base = (row * seqLen + t) * width;
    for (let d = 0; d < width; d++) pooled[d] = pooled[d]! + data[base + d]!;
  }
  if (count > 0) for (let d = 0; d < width; d++) pooled[d] = pooled[d]! / count;
  return l2Normalize(pooled);
}

function defaultThreads(): number {
  return Math.max(1, Math.min(2, availableParallelism()));
}

function outputDimensions(session: ort.InferenceSession): number | null {
  const meta = session.outputMetadata[0];
  if (!meta || !meta.isTensor) return null;
  const last = meta.shape[meta.shape.length - 1];
  return typeof last === 'number' && last > 0 ? last : null;
}
