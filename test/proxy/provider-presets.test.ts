import { afterEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../proxy/config/load.ts';
import { pricingProviderOf } from '../../proxy/deployment-pricing.ts';
import { harnessConfig, startHarness, type Harness } from '../support/apex-harness.ts';

const PRESETS = {
  mistral: 'https://api.mistral.ai/v1',
  groq: 'https://api.groq.com/openai/v1',
  deepseek: 'https://api.deepseek.com/v1',
  together: 'https://api.together.xyz/v1',
  openrouter: 'https://openrouter.ai/api/v1',
  ollama: 'http://127.0.0.1:11434/v1',
  vllm: 'http://127.0.0.1:8000/v1',
};

function configWith(providers: Record<string, object>) {
  const models = Object.keys(providers).map((name) => ({ name: `${name}-model`, provider: name }));
  return parseConfigText(JSON.stringify({ providers, models }), 'presets.json', {});
}

describe('OpenAI-compatible provider presets', () => {
  it('fill in each service’s documented base URL', () => {
    const config = configWith(Object.fromEntries(Object.keys(PRESETS).map((kind) => [kind, { kind }])));
    for (const [kind, url] of Object.entries(PRESETS)) expect(config.providers[kind]!.baseUrl).toBe(url);
  });

  it('ask for stream usage except where the service rejects stream_options (Mistral)', () => {
    const config = configWith({ mistral: { kind: 'mistral' }, groq: { kind: 'groq' } });
    expect(config.providers['mistral']!.streamUsage).toBe(false);
    expect(config.providers['groq']!.streamUsage).toBe(true);
    const forced = configWith({ m: { kind: 'mistral', streamUsage: true } });
    expect(forced.providers['m']!.streamUsage).toBe(true);
  });

  it('price cloud presets by their own catalog id and local servers as self-hosted', () => {
    const config = configWith({
      groq: { kind: 'groq', baseUrl: 'https://gateway.example.com/groq/v1' },
      together: { kind: 'together' },
      ollama: { kind: 'ollama' },
      vllm: { kind: 'vllm', baseUrl: 'http://10.0.0.5:8000/v1' },
      priced: { kind: 'vllm', pricingProvider: 'together' },
    });
    expect(pricingProviderOf(config.providers['groq']!)).toBe('groq');
    expect(pricingProviderOf(config.providers['together']!)).toBe('together');
    expect(pricingProviderOf(config.providers['ollama']!)).toBeNull();
    expect(pricingProviderOf(config.providers['vllm']!)).toBeNull();
    expect(pricingProviderOf(config.providers['priced']!)).toBe('together');
  });
});

describe('a preset through the proxy', () => {
  let harness: Harness;
  afterEach(async () => harness?.close());

  it('is called with the OpenAI SDK and the configured key, at the preset’s chat endpoint', async () => {
    harness = await startHarness({
      config: (openaiUrl, anthropicUrl) => {
        const base = harnessConfig(openaiUrl, anthropicUrl) as { providers: object; models: object[] };
        return {
          ...base,
          providers: {
            ...base.providers,
            groq: { kind: 'groq', baseUrl: `${openaiUrl}/v1`, apiKey: 'gsk-apex' },
          },
          models: [{ name: 'llama-3.3-70b-versatile', provider: 'groq' }, ...base.models],
        };
      },
    });
    const answer = await harness.openai.chat.completions.create({
      model: 'llama-3.3-70b-versatile',
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(answer.object).toBe('chat.completion');
    const sent = harness.openaiUpstream.requests.at(-1)!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe('Bearer gsk-apex');
    const [event] = await harness.waitForEvents(1);
    expect(event).toMatchObject({ provider: 'groq', status: 200 });
  });
});
