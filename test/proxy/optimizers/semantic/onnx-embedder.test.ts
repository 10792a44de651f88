import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dot } from '../../../../proxy/optimizers/semantic/embedder.ts';
import { OnnxEmbedder } from '../../../../proxy/optimizers/semantic/onnx-embedder.ts';

const MODEL_DIR =
  process.env['APEX_EMBEDDING_MODEL_DIR'] ?? join(process.cwd(), '.models', 'all-MiniLM-L6-v2');

describe('OnnxEmbedder with the real all-MiniLM-L6-v2 model', () => {
  let loaded: OnnxEmbedder | Error;

  beforeAll(async () => {
    loaded = existsSync(join(MODEL_DIR, 'tokenizer.json'))
      ? await OnnxEmbedder.load(MODEL_DIR)
      : new Error(`embedding model missing in ${MODEL_DIR}: run scripts/fetch-embedding-model.sh`);
  });

  // Each test fails on its own (never skips), so a missing model cannot pass as a green suite.
  const model = (): OnnxEmbedder => {
    if (loaded instanceof Error) throw loaded;
    return loaded;
  };

  it('returns 384-dimensional unit vectors', async () => {
    const embedder = model();
    const [vector] = await model().embed(['How do I reset my password?']);
    expect(embedder.dimensions).toBe(384);
    expect(vector).toHaveLength(384);
    expect(Math.sqrt(dot(vector!, vector!))).toBeCloseTo(1, 5);
  });

  it('scores a paraphrase well above unrelated text', async () => {
    const [question, paraphrase, unrelated] = await model().embed([
      'How do I reset my password?',
      'I forgot my password, how can I reset it?',
      'What is the capital of Australia?',
    ]);
    const close = dot(question!, paraphrase!);
    const far = dot(question!, unrelated!);
    expect(close).toBeGreaterThan(0.8);
    expect(far).toBeLessThan(0.3);
    expect(close - far).toBeGreaterThan(0.5);
  });

  it('gives the same vector for a text alone or in a padded batch', async () => {
    const text = 'Do you ship internationally?';
    const [alone] = await model().embed([text]);
    const [, inBatch] = await model().embed([
      'a much longer question that forces padding of the short one',
      text,
    ]);
    expect(dot(alone!, inBatch!)).toBeCloseTo(1, 4);
  });

  it('truncates long inputs instead of failing', async () => {
    const [vector] = await model().embed(['word '.repeat(2000)]);
    expect(vector).toHaveLength(384);
  });

  it('names the fetch script when the model directory is empty', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-model-'));
    await expect(OnnxEmbedder.load(empty)).rejects.toThrow(/run scripts\/fetch-embedding-model\.sh/);
  });
});
