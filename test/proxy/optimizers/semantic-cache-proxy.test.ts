import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openaiHandler } from '../../mocks/openai.ts';
import { harnessConfig, startHarness, type Harness } from '../../support/apex-harness.ts';

let harness: Harness;
afterEach(async () => harness?.close());

const MODEL_DIR = resolve(import.meta.dirname, '../../../.models/all-MiniLM-L6-v2');

function config(modelDir: string) {
  return (openaiUrl: string, anthropicUrl: string) => ({
    ...harnessConfig(openaiUrl, anthropicUrl),
    optimizers: {
      settings: { semanticCache: { enabled: true } },
      semanticCache: { embedder: { kind: 'local', modelDir } },
    },
    proof: { controlShare: 0 },
  });
}

async function ask(question: string, system = 'You are the Acme help desk.'): Promise<Response> {
  return fetch(`${harness.proxy.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client-a' },
    body: JSON.stringify({
      model: 'gpt-4o',
      temperature: 0,
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: question },
      ],
    }),
  });
}

describe('semantic cache in the proxy (local ONNX model; run scripts/fetch-embedding-model.sh first)', () => {
  it('answers a paraphrase from the cache, but not a different question or another system prompt', async () => {
    harness = await startHarness({
      openai: openaiHandler({
        content: 'Use Settings > Security > Reset password.',
        usage: { prompt: 400, completion: 40 },
      }),
      config: config(MODEL_DIR),
    });
    expect(harness.proxy.optimizers.semanticProblem).toBeNull();
    const first = await ask('How do I reset my password?');
    expect(first.headers.get('x-apex-optimizations')).toContain('semantic_cache=miss');
    const firstBody = await first.text();

    const paraphrase = await ask('How can I reset my password?');
    expect(paraphrase.headers.get('x-apex-cache')).toBe('hit');
    expect(paraphrase.headers.get('x-apex-optimizations')).toMatch(
      /semantic_cache=hit \(similarity 0\.9\d\d\)/,
    );
    expect(await paraphrase.text()).toBe(firstBody);

    expect((await ask('What are your opening hours in Berlin?')).headers.get('x-apex-cache')).toBe('miss');
    expect((await ask('How can I reset my password?', 'You are a pirate.')).headers.get('x-apex-cache')).toBe(
      'miss',
    );
    expect(harness.openaiUpstream.requests).toHaveLength(3);

    const events = await harness.waitForEvents(4);
    const hit = events[1]!;
    // gpt-4o: 400 × $2.50/M + 40 × $10/M = 1,400 µ$, the first answer's baseline.
    expect(hit).toMatchObject({
      costNanos: 0,
      baselineCostNanos: 1_400_000,
      savings: { semantic_cache: 1_400_000 },
    });
  });

  it('keeps the proxy up with the cache off and the reason shown when the model is missing', async () => {
    harness = await startHarness({ config: config('/nonexistent/model-dir') });
    expect(harness.proxy.optimizers.semanticProblem).toMatch(/fetch-embedding-model/);
    const response = await ask('How do I reset my password?');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-apex-optimizations')).toContain('semantic_cache=skipped');
  });
});
