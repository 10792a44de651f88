// Gemini through the proxy: a client on the OpenAI or Anthropic API calls a Gemini model; Apex sends
// generateContent / streamGenerateContent with the key in x-goog-api-key. The upstream answers with
// the documented examples in test/proxy/translate/fixtures/gemini.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../proxy/config/load.ts';
import { checkProvider } from '../../server/control/provider-check.ts';
import { harnessConfig, startHarness, type Harness } from '../support/apex-harness.ts';
import type { MockHandler } from '../support/mock-upstream.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, 'translate', 'fixtures', 'gemini', name), 'utf8'));

/** Answers like generativelanguage.googleapis.com: the method is in the path, streams are SSE chunks. */
const geminiUpstream: MockHandler = (request) => {
  if (request.path.endsWith(':streamGenerateContent')) {
    const chunks = fixture('stream-text.json') as unknown[];
    return { kind: 'sse', events: chunks.map((chunk) => ({ data: JSON.stringify(chunk) })) };
  }
  if (request.path.endsWith(':generateContent')) return { kind: 'json', body: fixture('response-text.json') };
  if (request.path === '/v1beta/models')
    return { kind: 'json', body: { models: [{ name: 'models/gemini-2.5-flash' }] } };
  return {
    kind: 'json',
    status: 404,
    body: { error: { code: 404, message: 'not found', status: 'NOT_FOUND' } },
  };
};

let harness: Harness;
afterEach(async () => harness?.close());

async function start(apiKey?: string): Promise<void> {
  harness = await startHarness({
    openai: geminiUpstream,
    config: (openaiUrl, anthropicUrl) => {
      const base = harnessConfig(openaiUrl, anthropicUrl) as { providers: object; models: object[] };
      return {
        ...base,
        providers: {
          ...base.providers,
          gemini: { kind: 'gemini', baseUrl: openaiUrl, ...(apiKey ? { apiKey } : {}) },
        },
        models: [{ name: 'gemini-2.5-flash', provider: 'gemini' }, ...base.models],
      };
    },
  });
}

const hello = [{ role: 'user' as const, content: 'Hello' }];

describe('Gemini provider', () => {
  it('answers an OpenAI client from generateContent, with the key in x-goog-api-key', async () => {
    await start('AIza-apex');
    const completion = await harness.openai.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: hello,
    });
    expect(completion.choices[0]!.message.content).toBe('Hello! How can I help you today?');
    expect(completion.usage).toMatchObject({ prompt_tokens: 1, completion_tokens: 9 });
    const sent = harness.openaiUpstream.requests.at(-1)!;
    expect(sent.url).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(sent.headers['x-goog-api-key']).toBe('AIza-apex');
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.json).toMatchObject({ contents: [{ role: 'user', parts: [{ text: 'Hello' }] }] });
    const [event] = await harness.waitForEvents(1);
    expect(event).toMatchObject({ provider: 'gemini', status: 200, inputTokens: 1, outputTokens: 9 });
  });

  it('streams streamGenerateContent?alt=sse to an Anthropic client as Messages events', async () => {
    await start('AIza-apex');
    const stream = harness.anthropic.messages.stream({
      model: 'gemini-2.5-flash',
      max_tokens: 64,
      messages: hello,
    });
    const message = await stream.finalMessage();
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Hello! How can I help you today?' });
    expect(harness.openaiUpstream.requests.at(-1)!.url).toBe(
      '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
    );
    const [event] = await harness.waitForEvents(1);
    expect(event).toMatchObject({ provider: 'gemini', streamed: true, errorClass: null });
  });

  it('forwards the caller’s own key as x-goog-api-key when Apex has none', async () => {
    await start();
    await harness.openai.chat.completions.create({ model: 'gemini-2.5-flash', messages: hello });
    const sent = harness.openaiUpstream.requests.at(-1)!;
    expect(sent.headers['x-goog-api-key']).toBe('sk-client-key');
    expect(sent.headers.authorization).toBeUndefined();
  });

  it('refuses embeddings, has a default address, and tests its connection on the models list', async () => {
    await start('AIza-apex');
    const refused = (await harness.openai.embeddings
      .create({ model: 'gemini-2.5-flash', input: 'x' })
      .catch((e: unknown) => e)) as Error;
    expect(refused.message).toContain('(Gemini API)');
    const defaults = parseConfigText(
      JSON.stringify({
        providers: { g: { kind: 'gemini', apiKey: 'k' } },
        models: [{ name: 'm', provider: 'g' }],
      }),
      'g.json',
      {},
    );
    expect(defaults.providers['g']!.baseUrl).toBe('https://generativelanguage.googleapis.com');
    const provider = harness.proxy.runtime().config.providers['gemini']!;
    expect(await checkProvider(provider)).toMatchObject({ ok: true });
  });
});
