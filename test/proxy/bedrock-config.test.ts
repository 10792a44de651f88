// Bedrock's config rules, its connection test, its prices, and the target's behaviour over a live
// proxy: no buffering of streams, the client leaving, the SDK's default credential chain, reloads.
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ZERO_USAGE } from '../../contracts/usage.ts';
import { parseConfigText } from '../../proxy/config/load.ts';
import { createDeploymentPricing, pricingProviderOf } from '../../proxy/deployment-pricing.ts';
import { checkProvider } from '../../server/control/provider-check.ts';
import type { Harness } from '../support/apex-harness.ts';
import { AWS_KEY, REGION, startBedrockHarness } from '../support/bedrock-harness.ts';
import { STREAM_TEXT, type BedrockMock } from '../support/bedrock-mock.ts';

function parse(provider: object, env: NodeJS.ProcessEnv = {}) {
  const text = JSON.stringify({
    providers: { aws: { kind: 'bedrock', ...provider } },
    models: [{ name: 'm', provider: 'aws', model: 'amazon.nova-lite-v1:0' }],
  });
  return parseConfigText(text, 'bedrock.json', env);
}

describe('Bedrock config', () => {
  it('needs a region, defaults the endpoint to it and takes keys from ${ENV}', () => {
    expect(() => parse({})).toThrow(/region is required for kind "bedrock"/);
    expect(() => parse({ region: 'Frankfurt' })).toThrow(/an AWS region such as us-east-1/);
    const env = { AWS_KEY_ID: 'AKIDFROMENV', AWS_SECRET: 'from-env', AWS_TOKEN: '' };
    const config = parse(
      {
        region: 'us-west-2',
        accessKeyId: '${AWS_KEY_ID}',
        secretAccessKey: '${AWS_SECRET}',
        sessionToken: '${AWS_TOKEN:-}',
      },
      env,
    );
    expect(config.providers['aws']).toMatchObject({
      baseUrl: 'https://bedrock-runtime.us-west-2.amazonaws.com',
      region: 'us-west-2',
      accessKeyId: 'AKIDFROMENV',
      secretAccessKey: 'from-env',
    });
    expect(config.providers['aws']!.sessionToken).toBeUndefined();
  });

  it('refuses an apiKey and half a key pair', () => {
    expect(() => parse({ region: 'us-east-1', apiKey: 'sk-x' })).toThrow(/apiKey does not apply/);
    expect(() => parse({ region: 'us-east-1', accessKeyId: 'AKID' })).toThrow(/go together/);
  });

  it('prices Bedrock model ids, with and without an inference profile prefix', async () => {
    const config = parse({ region: 'us-east-1' });
    const provider = config.providers['aws']!;
    expect(pricingProviderOf(provider)).toBe('bedrock');
    const pricing = await createDeploymentPricing(config);
    const usage = { ...ZERO_USAGE, inputTokens: 1_000_000, outputTokens: 1_000_000 };
    const route = config.models[0]!;
    const deployment = (model: string) => ({
      name: 'm',
      providerName: 'aws',
      provider,
      upstreamModel: model,
      project: null,
      route,
    });
    const nova = pricing.price(deployment('amazon.nova-lite-v1:0'), null, usage);
    const haiku = pricing.price(deployment('us.anthropic.claude-3-5-haiku-20241022-v1:0'), null, usage);
    // Amazon's list prices: Nova Lite $0.06 + $0.24 per million; Claude 3.5 Haiku $0.80 + $4.
    expect(nova).toEqual({ costNanos: 300_000_000, source: 'genai-prices' });
    expect(haiku).toEqual({ costNanos: 4_800_000_000, source: 'genai-prices' });
  });
});

describe('Bedrock connection test', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('reports the configured credentials and a reachable endpoint without calling a model', async () => {
    const { harness, mock } = await startBedrockHarness();
    try {
      const provider = harness.proxy.runtime().config.providers['aws']!;
      const result = await checkProvider(provider);
      expect(result).toMatchObject({ ok: true, status: null, models: null });
      expect(result.message).toContain('access key …0001, from the config');
      expect(result.message).not.toContain(AWS_KEY);
      expect(mock.requests.every((request) => request.operation === null)).toBe(true);
    } finally {
      await harness.close();
      await mock.close();
    }
  });

  it('says clearly when the SDK chain finds no credentials', async () => {
    isolateFromAwsEnvironment();
    const config = parse({ region: 'us-east-1', baseUrl: 'http://127.0.0.1:9' });
    const result = await checkProvider(config.providers['aws']!, 5000);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^no AWS credentials found .*AWS_PROFILE/);
  });

  it('reports an endpoint it cannot reach', async () => {
    const config = parse({
      region: 'us-east-1',
      baseUrl: 'http://127.0.0.1:9',
      accessKeyId: 'AKIDX',
      secretAccessKey: 's',
    });
    const result = await checkProvider(config.providers['aws']!, 5000);
    expect(result).toMatchObject({ ok: false });
    expect(result.message).toMatch(/credentials found .* but could not reach http:\/\/127\.0\.0\.1:9/);
  });
});

/** No keys in the environment, no profile files, no instance metadata: the chain has nothing to find. */
function isolateFromAwsEnvironment(): void {
  const missing = join(tmpdir(), 'apex-no-such-aws-dir', 'file');
  for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) vi.stubEnv(name, undefined);
  vi.stubEnv('AWS_CONFIG_FILE', missing);
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', missing);
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
}

describe('Bedrock target over a live proxy', () => {
  let harness: Harness | undefined;
  let mock: BedrockMock | undefined;
  afterEach(async () => {
    vi.unstubAllEnvs();
    await harness?.close();
    await mock?.close();
    harness = mock = undefined;
  });

  it('relays each event as Bedrock sends it, without waiting for the end', async () => {
    ({ harness, mock } = await startBedrockHarness());
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    mock.setHandler(() => ({ kind: 'stream', events: STREAM_TEXT, pauseAfter: 2, gate }));
    const stream = await harness.openai.chat.completions.create({
      model: 'haiku-bedrock',
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
    });
    const chunks = stream[Symbol.asyncIterator]();
    let first = '';
    while (first === '') first = (await chunks.next()).value?.choices[0]?.delta.content ?? '';
    expect(first).toBe('Hello ');
    release();
    let rest = '';
    for (let next = await chunks.next(); !next.done; next = await chunks.next())
      rest += next.value.choices[0]?.delta.content ?? '';
    expect(rest).toBe('from Bedrock.');
  });

  it('ends the Bedrock call when the client goes away mid-stream', async () => {
    ({ harness, mock } = await startBedrockHarness());
    const current = mock;
    current.setHandler(() => ({
      kind: 'stream',
      events: STREAM_TEXT,
      pauseAfter: 2,
      gate: new Promise(() => {}),
    }));
    const controller = new AbortController();
    const stream = await harness.openai.chat.completions.create(
      { model: 'haiku-bedrock', messages: [{ role: 'user', content: 'Hello' }], stream: true },
      { signal: controller.signal },
    );
    const chunks = stream[Symbol.asyncIterator]();
    await chunks.next();
    controller.abort();
    await vi.waitFor(() => expect(current.abandoned()).toBe(1), { timeout: 5000 });
    const [event] = await harness.waitForEvents(1);
    expect(event).toMatchObject({ status: 499, errorClass: 'client_closed_request' });
  });

  it('ends a stream that falls silent with the client’s in-band error', async () => {
    ({ harness, mock } = await startBedrockHarness({ idleTimeoutMs: 300 }));
    const silent = new Promise<void>(() => {});
    mock.setHandler(() => ({ kind: 'stream', events: STREAM_TEXT, pauseAfter: 2, gate: silent }));
    const stream = harness.anthropic.messages.stream({
      model: 'haiku-bedrock',
      max_tokens: 16,
      messages: [{ role: 'user', content: 'Hello' }],
    });
    const failure = await stream.finalMessage().catch((e: unknown) => e);
    expect((failure as Error).message).toContain('upstream stream interrupted');
    const [event] = await harness.waitForEvents(1);
    expect(event!.errorClass).toBe('upstream_stream_interrupted');
  });

  it('signs with the SDK default chain when the config has no keys', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDFROMTHECHAIN');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'chain-secret');
    vi.stubEnv('AWS_SESSION_TOKEN', 'chain-session-token');
    vi.stubEnv('AWS_PROFILE', undefined);
    const signer = { accessKeyId: 'AKIDFROMTHECHAIN', region: REGION, secretAccessKey: 'chain-secret' };
    const keys = { accessKeyId: undefined, secretAccessKey: undefined };
    ({ harness, mock } = await startBedrockHarness(keys, signer));
    const message = await harness.anthropic.messages.create({
      model: 'haiku-bedrock',
      max_tokens: 16,
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(message.content[0]).toMatchObject({ text: 'Hello from Bedrock.' });
    expect(mock.requests.at(-1)!.headers['x-amz-security-token']).toBe('chain-session-token');
  });

  it('refuses endpoints other than chat, as for every translated provider', async () => {
    ({ harness, mock } = await startBedrockHarness());
    const refused = await harness.openai.embeddings
      .create({ model: 'haiku-bedrock', input: 'x' })
      .catch((e: unknown) => e);
    expect((refused as Error).message).toContain('(Bedrock Converse API)');
    expect(mock.requests).toHaveLength(0);
  });

  it('keeps serving after a reload that changes the provider', async () => {
    ({ harness, mock } = await startBedrockHarness());
    const ask = () =>
      harness!.openai.chat.completions.create({
        model: 'haiku-bedrock',
        messages: [{ role: 'user', content: 'Hi' }],
      });
    await ask();
    const config = harness.proxy.runtime().config;
    const aws = { ...config.providers['aws']!, connections: 8 };
    await harness.proxy.reload({ ...config, providers: { ...config.providers, aws } });
    const again = await ask();
    expect(again.choices[0]!.message.content).toBe('Hello from Bedrock.');
  });
});
