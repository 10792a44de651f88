/**
 * Turns texts into unit-length vectors, so cosine similarity is a plain dot product in the index.
 * Implementations: OnnxEmbedder (local model, no network) and OpenAICompatibleEmbedder.
 */
export interface Embedder {
  /** Identifies the vector space: vectors from different ids must never be compared. */
  readonly id: string;
  readonly dimensions: number;
  /** One L2-normalized vector per text, in the same order. */
  embed(texts: string[]): Promise<Float32Array[]>;
}

/** Scales the vector in place to length 1; a zero vector stays zero rather than becoming NaN. */
export function l2Normalize(vector: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i]! * vector[i]!;
  if (sum === 0) return vector;
  const scale = 1 / Math.sqrt(sum);
  for (let i = 0; i < vector.length; i++) vector[i] = vector[i]! * scale;
  return vector;
}

/** Dot product; equals cosine similarity for normalized vectors. */
export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** Splits work into chunks so one call never exceeds a provider's or a session's batch limit. */
export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
