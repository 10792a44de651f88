import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type * as GenaiPrices from '@pydantic/genai-prices';
import type { TokenUsage, UsageEvent } from '../../contracts/usage.ts';
import { parseConfigText } from '../../proxy/config/load.ts';
import type { Pricing } from '../../proxy/forward/exchange.ts';
import { ProxyMetrics } from '../../proxy/metrics.ts';
import { callerCredentials, parseProtocols, protocolKey } from '../../proxy/realtime/credentials.ts';
import { writeReply } from '../../proxy/realtime/http-reply.ts';
import { realtimeMetrics } from '../../proxy/realtime/metrics.ts';
import { genaiModalityRates, priceRealtime, type ModalityRateLookup } from '../../proxy/realtime/pricing.ts';
import { upstreamUrl } from '../../proxy/realtime/upstream.ts';
import { UsageTap } from '../../proxy/realtime/usage-tap.ts';
import { readRealtimeUsage, textPart } from '../../proxy/realtime/usage.ts';
import { ModelRouter, type Deployment } from '../../proxy/router.ts';

/** OpenAI's documented GA `response.done` usage, audio in and out, part of the prompt cached. */
const GA_USAGE = {
  total_tokens: 253,
  input_tokens: 132,
  output_tokens: 121,
  input_token_details: {
    text_tokens: 119,
    audio_tokens: 13,
    image_tokens: 0,
    cached_tokens: 64,
    cached_tokens_details: { text_tokens: 64, audio_tokens: 0, image_tokens: 0 },
  },
  output_token_details: { text_tokens: 30, audio_tokens: 91 },
};

function deployment(provider: object, model = 'gpt-realtime', route = model): Deployment {
  const config = parseConfigText(
    JSON.stringify({ providers: { p: provider }, models: [{ name: route, provider: 'p', model }] }),
    'unit.json',
  );
  return new ModelRouter(config).resolve(route.replace('*', 'x'))!;
}

const openai = deployment({ kind: 'openai', apiKey: 'k' });

/** Prices every token at one rate per kind, and says where the price came from. */
function flatPricing(source: string | null, rates = { input: 4000, cached: 400, output: 16000 }): Pricing {
  return {
    price: (_d, _m, usage: TokenUsage) => ({
      costNanos:
        (usage.inputTokens - usage.cachedInputTokens) * rates.input +
        usage.cachedInputTokens * rates.cached +
        usage.outputTokens * rates.output,
      source,
    }),
  };
}

const AUDIO_RATES: ModalityRateLookup = () => ({
  audio: { input: 32_000_000_000, cachedInput: 400_000_000, output: 64_000_000_000 },
  image: null,
});

describe('realtime usage', () => {
  it('reads the GA usage with its audio and cached parts', () => {
    const tokens = readRealtimeUsage(GA_USAGE)!;
    expect(tokens.usage).toMatchObject({ inputTokens: 132, outputTokens: 121, cachedInputTokens: 64 });
    expect(tokens.audio).toEqual({ input: 13, cachedInput: 0, output: 91 });
    expect(textPart(tokens, { audio: true, image: true })).toMatchObject({
      inputTokens: 119,
      cachedInputTokens: 64,
      outputTokens: 30,
    });
    expect(readRealtimeUsage(null)).toBeNull();
    expect(readRealtimeUsage('x')).toBeNull();
  });

  it('clamps contradictory counts and assumes cached text first when the split is missing', () => {
    const tokens = readRealtimeUsage({
      input_tokens: 100,
      output_tokens: -5,
      input_token_details: { cached_tokens: 500, audio_tokens: 80, image_tokens: 50 },
      output_token_details: { audio_tokens: 9 },
    })!;
    expect(tokens.usage).toMatchObject({ inputTokens: 100, cachedInputTokens: 100, outputTokens: 0 });
    expect(tokens.audio).toEqual({ input: 80, cachedInput: 80, output: 0 });
    expect(tokens.image).toEqual({ input: 20, cachedInput: 20 });
    expect(textPart(tokens, { audio: true, image: true })).toMatchObject({
      inputTokens: 0,
      cachedInputTokens: 0,
    });
    const beta = readRealtimeUsage({
      input_tokens: 10,
      output_tokens: 4,
      input_token_details: { cached_tokens: 2 },
    })!;
    expect(textPart(beta, { audio: false, image: false })).toMatchObject({
      inputTokens: 10,
      cachedInputTokens: 2,
    });
  });
});

describe('realtime pricing', () => {
  const tokens = readRealtimeUsage(GA_USAGE)!;

  it('prices text at the text rates and audio at the audio rates', () => {
    const priced = priceRealtime(flatPricing('catalog'), AUDIO_RATES, openai, 'gpt-realtime', tokens);
    const text = (119 - 64) * 4000 + 64 * 400 + 30 * 16000;
    const audio = Math.round((13 * 32_000_000_000 + 91 * 64_000_000_000) / 1_000_000);
    expect(priced).toEqual({ costNanos: text + audio, source: 'catalog' });
  });

  it('keeps one rate for every token under a user override, a self-hosted server or no price', () => {
    const whole = flatPricing('override').price(openai, null, tokens.usage).costNanos;
    expect(priceRealtime(flatPricing('override'), AUDIO_RATES, openai, null, tokens).costNanos).toBe(whole);
    expect(priceRealtime(flatPricing('self-hosted'), AUDIO_RATES, openai, null, tokens).source).toBe(
      'self-hosted',
    );
    expect(priceRealtime(flatPricing(null), AUDIO_RATES, openai, null, tokens)).toEqual({
      costNanos: whole,
      source: null,
    });
    const local = deployment({ kind: 'openai-compatible', baseUrl: 'http://10.0.0.5:8000/v1' });
    expect(priceRealtime(flatPricing('catalog'), AUDIO_RATES, local, null, tokens).costNanos).toBe(whole);
    expect(priceRealtime(flatPricing('catalog'), () => null, openai, null, tokens).costNanos).toBe(whole);
  });

  it('finds gpt-realtime’s audio rates in genai-prices, under a dated name too, and nothing for text models', () => {
    const rates = genaiModalityRates();
    expect(rates('openai', ['gpt-realtime-2025-08-28'])!.audio).toEqual({
      input: 32_000_000_000,
      cachedInput: 400_000_000,
      output: 64_000_000_000,
    });
    expect(rates('openai', ['gpt-realtime'])!.image).toMatchObject({ input: 5_000_000_000, output: 0 });
    expect(rates('openai', ['gpt-4o-mini'])).toBeNull();
    expect(rates('openai', ['no-such-model-anywhere'])).toBeNull();
    expect(rates('no-such-provider', ['gpt-realtime'])).not.toBeNull();
  });

  it('prices with text rates only when genai-prices cannot be loaded', () => {
    const broken = genaiModalityRates(() => {
      throw new Error('not installed');
    });
    expect(broken('openai', ['gpt-realtime'])).toBeNull();
    const odd = genaiModalityRates(
      () =>
        ({
          findProvider: () => undefined,
          calcPrice: () => ({ model_price: { input_audio_mtok: { base: 1, tiers: [] } } }),
        }) as unknown as typeof GenaiPrices,
    );
    expect(odd('x', ['m'])).toBeNull();
  });
});

describe('realtime usage tap', () => {
  function tap(logged: string[] = [], broken = false) {
    const events: UsageEvent[] = [];
    const usageTap = new UsageTap({
      deployment: openai,
      modelRequested: 'gpt-realtime',
      keyId: null,
      project: null,
      route: 'gpt-realtime',
      key: null,
      pricing: flatPricing('catalog'),
      rates: () => null,
      sink: {
        record: (event) => {
          if (broken) throw new Error('sink broke');
          events.push(event);
        },
      },
      metrics: new ProxyMetrics(),
      logger: { warn: (_d, message) => logged.push(message), error: () => {} },
      clock: () => 1_700_000_000_000,
    });
    return { usageTap, events };
  }
  const frame = (value: object): Buffer => Buffer.from(JSON.stringify(value));

  it('tracks the served model and times responses from response.created', () => {
    const { usageTap, events } = tap();
    usageTap.inspect(frame({ type: 'session.created', session: { model: 'gpt-realtime-2025-08-28' } }));
    usageTap.inspect(frame({ type: 'response.created', response: { id: 'r1' } }));
    expect(usageTap.busy).toBe(true);
    let idle = false;
    usageTap.onIdle = () => (idle = true);
    usageTap.inspect(frame({ type: 'response.done', response: { id: 'r1', usage: GA_USAGE } }));
    expect(idle).toBe(true);
    expect(events[0]).toMatchObject({
      modelServed: 'gpt-realtime-2025-08-28',
      ts: 1_700_000_000_000,
      ttftUs: null,
    });
  });

  it('skips what it cannot read, forgets the oldest of too many open responses, and warns once on a failure', () => {
    const logged: string[] = [];
    const { usageTap, events } = tap(logged);
    usageTap.inspect(Buffer.from('{"type":"response.done","response":'));
    usageTap.inspect(Buffer.from('{"type":"response.done.extra"}'));
    usageTap.inspect(frame({ type: 'response.created', response: {} }));
    for (let i = 0; i < 70; i++)
      usageTap.inspect(frame({ type: 'response.created', response: { id: `r${i}` } }));
    usageTap.inspect(frame({ type: 'response.done', response: { id: 'r0', usage: GA_USAGE } }));
    expect(events[0]!.latencyUs).toBe(0);
    expect(usageTap.busy).toBe(true);
    expect(logged).toEqual([]);
    const throwing = tap(logged, true).usageTap;
    throwing.inspect(frame({ type: 'response.done', response: { usage: GA_USAGE } }));
    throwing.inspect(frame({ type: 'response.done', response: { usage: GA_USAGE } }));
    expect(logged).toHaveLength(1);
  });
});

describe('realtime plumbing', () => {
  it('reads subprotocols and the key they carry', () => {
    expect(parseProtocols(['realtime, openai-insecure-api-key.sk-1', ' x '])).toEqual([
      'realtime',
      'openai-insecure-api-key.sk-1',
      'x',
    ]);
    expect(protocolKey(['openai-insecure-api-key.'])).toBeNull();
    const azure = deployment({ kind: 'azure', baseUrl: 'https://r.openai.azure.com' });
    const carried = callerCredentials({}, ['openai-insecure-api-key.azure-key'], azure.provider);
    expect(carried.passThrough).toEqual({ 'api-key': 'azure-key' });
    expect(carried.authHeaders.authorization).toBe('Bearer azure-key');
    const basic = callerCredentials({ authorization: 'Basic abc' }, [], openai.provider);
    expect(basic.authHeaders.authorization).toBe('Basic abc');
  });

  it('builds upstream URLs for OpenAI-compatible servers and Azure', () => {
    const local = deployment({ kind: 'vllm' }, 'meta/llama-voice', 'voice');
    expect(upstreamUrl(local, new URLSearchParams('model=voice&call_id=c1'))).toBe(
      'ws://127.0.0.1:8000/v1/realtime?model=meta%2Fllama-voice&call_id=c1',
    );
    const cloud = deployment({ kind: 'openai' });
    expect(upstreamUrl(cloud, new URLSearchParams('model=gpt-realtime'))).toBe(
      'wss://api.openai.com/v1/realtime?model=gpt-realtime',
    );
    const azure = deployment(
      { kind: 'azure', baseUrl: 'https://r.openai.azure.com', apiVersion: 'v1' },
      'dep',
    );
    expect(upstreamUrl(azure, new URLSearchParams('deployment=dep'))).toBe(
      'wss://r.openai.azure.com/openai/v1/realtime?model=dep',
    );
  });

  it('writes nothing on a socket that can no longer be written', () => {
    const socket = new PassThrough();
    socket.end();
    writeReply(socket, { status: 404, headers: {}, body: Buffer.from('x') });
    expect(socket.destroyed).toBe(true);
  });

  it('registers its metrics once per registry', () => {
    const metrics = new ProxyMetrics();
    expect(realtimeMetrics(metrics.registry)).toBe(realtimeMetrics(metrics.registry));
  });
});
