import { afterEach, describe, expect, it } from 'vitest';
import { embeddingsFor, openaiHandler } from '../mocks/openai.ts';
import { startHarness, type Harness } from '../support/apex-harness.ts';

let harness: Harness;
afterEach(async () => harness?.close());

describe('the other OpenAI endpoints through the proxy', () => {
  it('legacy completions, streamed and not', async () => {
    harness = await startHarness({
      openai: openaiHandler({ content: ' and so on', usage: { prompt: 10, completion: 4 } }),
      extraModels: [{ name: 'gpt-3.5-turbo-instruct', provider: 'openai' }],
    });
    const plain = await harness.openai.completions.create({
      model: 'gpt-3.5-turbo-instruct',
      prompt: 'Once',
    });
    expect(plain.choices[0]?.text).toBe(' and so on');
    const stream = await harness.openai.completions.create({
      model: 'gpt-3.5-turbo-instruct',
      prompt: 'Once',
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
    expect(text).toBe(' and so on');
    const events = await harness.waitForEvents(2);
    for (const event of events) {
      expect(event).toMatchObject({
        endpoint: 'completions',
        inputTokens: 10,
        outputTokens: 4,
        errorClass: null,
      });
      expect(event.costNanos).toBeGreaterThan(0);
    }
    expect(events.map((e) => e.streamed)).toEqual([false, true]);
  });

  it('embeddings are priced on input tokens only', async () => {
    harness = await startHarness({
      openai: openaiHandler({
        routes: { embeddings: (request) => embeddingsFor(request, { promptTokens: 1_000 }) },
      }),
    });
    const result = await harness.openai.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['a', 'b'],
    });
    expect(result.data).toHaveLength(2);
    const [event] = await harness.waitForEvents(1);
    // text-embedding-3-small: $0.02/M: 1,000 × 0.02 = 20 µ$.
    expect(event).toMatchObject({
      endpoint: 'embeddings',
      inputTokens: 1000,
      outputTokens: 0,
      costNanos: 20_000,
    });
  });

  it('responses API, with cached and reasoning tokens, streamed and not', async () => {
    harness = await startHarness({
      openai: openaiHandler({
        content: 'a response',
        usage: { prompt: 3000, cached: 2000, completion: 800, reasoning: 500 },
      }),
    });
    const plain = await harness.openai.responses.create({ model: 'gpt-5', input: 'Plan a trip.' });
    expect(plain.output_text).toBe('a response');
    const streamed = await harness.openai.responses
      .stream({ model: 'gpt-5', input: 'Plan a trip.' })
      .finalResponse();
    expect(streamed.usage?.output_tokens_details.reasoning_tokens).toBe(500);
    const events = await harness.waitForEvents(2);
    // gpt-5: $1.25/M input, $0.125/M cached, $10/M output: 1000 × 1.25 + 2000 × 0.125 + 800 × 10 = 9,500 µ$.
    for (const event of events) {
      expect(event).toMatchObject({
        endpoint: 'responses',
        inputTokens: 3000,
        cachedInputTokens: 2000,
        outputTokens: 800,
        reasoningTokens: 500,
        costNanos: 9_500_000,
        errorClass: null,
      });
    }
    expect(events[1]!.streamed).toBe(true);
  });
});
