import { afterEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../proxy/config/load.ts';
import { pricingProviderOf } from '../../proxy/deployment-pricing.ts';
import { checkProvider } from '../../server/control/provider-check.ts';
import { openaiHandler } from '../mocks/openai.ts';
import { harnessConfig, startHarness, type Harness } from '../support/apex-harness.ts';
import type { MockHandler } from '../support/mock-upstream.ts';

let harness: Harness;
afterEach(async () => harness?.close());

/** Azure serves the OpenAI wire format under its own paths; the mock answers once they are mapped back. */
const azureHandler: MockHandler = (request) =>
  openaiHandler()({ ...request, path: request.path.replace(/^\/openai\/(deployments\/[^/]+|v1)/, '/v1') });

async function startAzure(azure: object): Promise<void> {
  harness = await startHarness({
    openai: azureHandler,
    config: (openaiUrl, anthropicUrl) => {
      const base = harnessConfig(openaiUrl, anthropicUrl) as { providers: object; models: object[] };
      return {
        ...base,
        providers: { ...base.providers, azure: { kind: 'azure', baseUrl: `${openaiUrl}/openai`, ...azure } },
        models: [{ name: 'gpt-4o', provider: 'azure', model: 'prod-gpt4o' }, ...base.models],
      };
    },
  });
}

describe('Azure OpenAI', () => {
  it('sends a deployment URL with api-version and the api-key header', async () => {
    await startAzure({ apiKey: 'azure-secret' });
    const answer = await harness.openai.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(answer.object).toBe('chat.completion');
    const sent = harness.openaiUpstream.requests.at(-1)!;
    expect(sent.url).toBe('/openai/deployments/prod-gpt4o/chat/completions?api-version=2024-10-21');
    expect(sent.headers['api-key']).toBe('azure-secret');
    expect(sent.headers.authorization).toBeUndefined();
    const [event] = await harness.waitForEvents(1);
    expect(event).toMatchObject({ provider: 'azure', status: 200, modelRequested: 'gpt-4o' });
    expect(event!.costNanos).toBeGreaterThan(0);
  });

  it('streams through the deployment URL with usage', async () => {
    await startAzure({ apiKey: 'azure-secret', apiVersion: '2025-04-01-preview' });
    const stream = await harness.openai.chat.completions.create({
      model: 'gpt-4o',
      stream: true,
      messages: [{ role: 'user', content: 'Count to three' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text.length).toBeGreaterThan(0);
    expect(harness.openaiUpstream.requests.at(-1)!.url).toContain('api-version=2025-04-01-preview');
    const [event] = await harness.waitForEvents(1);
    expect(event!.outputTokens).toBeGreaterThan(0);
  });

  it('uses the v1 API with the deployment as the model when apiVersion is v1', async () => {
    await startAzure({ apiKey: 'azure-secret', apiVersion: 'v1' });
    await harness.openai.embeddings.create({ model: 'gpt-4o', input: 'text' });
    const sent = harness.openaiUpstream.requests.at(-1)!;
    expect(sent.url).toBe('/openai/v1/embeddings');
    expect((sent.json as { model: string }).model).toBe('prod-gpt4o');
  });

  it('keeps a client’s own api-version, and passes the client’s api-key when Apex has none', async () => {
    await startAzure({});
    const response = await fetch(`${harness.proxy.url}/v1/chat/completions?api-version=2024-06-01`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'api-key': 'client-azure-key' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(response.status).toBe(200);
    const sent = harness.openaiUpstream.requests.at(-1)!;
    expect(sent.url).toBe('/openai/deployments/prod-gpt4o/chat/completions?api-version=2024-06-01');
    expect(sent.headers['api-key']).toBe('client-azure-key');
    const [event] = await harness.waitForEvents(1);
    expect(event!.keyId).toMatch(/^key_/);
  });

  it('is priced like OpenAI unless told otherwise, and needs its resource endpoint', () => {
    const parse = (azure: object) =>
      parseConfigText(
        JSON.stringify({
          providers: { azure: { kind: 'azure', ...azure } },
          models: [{ name: 'm', provider: 'azure' }],
        }),
        'azure.json',
        {},
      );
    expect(() => parse({})).toThrow(/baseUrl is required/);
    const config = parse({ baseUrl: 'https://contoso.openai.azure.com/openai/' });
    expect(config.providers['azure']!.baseUrl).toBe('https://contoso.openai.azure.com');
    expect(pricingProviderOf(config.providers['azure']!)).toBe('openai');
  });

  it('tests the connection against the resource’s models list', async () => {
    harness = await startHarness({
      openai: (request) => ({
        kind: 'json',
        status:
          request.url.startsWith('/openai/models?api-version=') && request.headers['api-key'] === 'k'
            ? 200
            : 404,
        body: { data: [{ id: 'gpt-4o' }, { id: 'gpt-4o-mini' }] },
      }),
    });
    const provider = parseConfigText(
      JSON.stringify({
        providers: { azure: { kind: 'azure', baseUrl: harness.openaiUpstream.url, apiKey: 'k' } },
        models: [{ name: 'm', provider: 'azure' }],
      }),
      'azure.json',
      {},
    ).providers['azure']!;
    const result = await checkProvider(provider);
    expect(result).toMatchObject({ ok: true, models: 2 });
  });
});
