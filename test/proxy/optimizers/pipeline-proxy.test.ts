import { afterEach, describe, expect, it } from 'vitest';
import { anthropicHandler } from '../../mocks/anthropic.ts';
import { openaiHandler } from '../../mocks/openai.ts';
import { chatCompletion } from '../../mocks/openai-chat.ts';
import { openaiUsage } from '../../mocks/openai-wire.ts';
import { requestModel } from '../../mocks/wire-common.ts';
import { harnessConfig, startHarness, type Harness } from '../../support/apex-harness.ts';

let harness: Harness;
afterEach(async () => harness?.close());

function config(optimizers: object, proof: object = { controlShare: 0 }) {
  return (openaiUrl: string, anthropicUrl: string) => ({
    ...harnessConfig(openaiUrl, anthropicUrl),
    optimizers,
    proof,
  });
}

async function post(path: string, body: object, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${harness.proxy.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client-a', ...headers },
    body: JSON.stringify(body),
  });
}

const routing = {
  settings: {
    routing: {
      enabled: true,
      rules: [
        { name: 'short-to-mini', match: { models: ['gpt-4o'], maxPromptTokens: 500 }, to: 'gpt-4o-mini' },
      ],
    },
  },
};
const FENCE = '```';
const question = { model: 'gpt-4o', messages: [{ role: 'user', content: 'Is 7 prime?' }] };

describe('optimizer pipeline through the proxy', () => {
  it('routes by rule and books the price difference as routing savings', async () => {
    harness = await startHarness({
      openai: openaiHandler({ content: 'Yes, 7 is prime.', usage: { prompt: 1000, completion: 100 } }),
      config: config(routing),
    });
    const response = await post('/v1/chat/completions', question);
    expect(response.headers.get('x-apex-optimizations')).toContain('routing=applied (gpt-4o -> gpt-4o-mini');
    expect(requestModel(harness.openaiUpstream.requests[0], '')).toBe('gpt-4o-mini');
    const [event] = await harness.waitForEvents(1);
    // gpt-4o: 1000 × $2.50/M + 100 × $10/M = 3,500 µ$; gpt-4o-mini: 1000 × $0.15/M + 100 × $0.60/M = 210 µ$.
    expect(event).toMatchObject({
      modelRequested: 'gpt-4o',
      baselineCostNanos: 3_500_000,
      costNanos: 210_000,
      savings: { routing: 3_290_000 },
    });
  });

  it('escalates to the requested model when the cheap answer is empty, charging the waste to routing', async () => {
    harness = await startHarness({
      openai: openaiHandler({
        routes: {
          chat: (request) =>
            requestModel(request, '') === 'gpt-4o-mini'
              ? chatCompletion({
                  model: 'gpt-4o-mini',
                  content: '',
                  usage: openaiUsage({ prompt: 1000, completion: 0 }),
                })
              : chatCompletion({
                  model: 'gpt-4o',
                  content: 'Yes.',
                  usage: openaiUsage({ prompt: 1000, completion: 100 }),
                }),
        },
      }),
      config: config(routing),
    });
    const response = await post('/v1/chat/completions', question);
    const body = (await response.json()) as { model: string };
    expect(body.model).toBe('gpt-4o');
    expect(response.headers.get('x-apex-optimizations')).toContain('routing=escalated');
    expect(harness.openaiUpstream.requests.map((r) => requestModel(r, ''))).toEqual([
      'gpt-4o-mini',
      'gpt-4o',
    ]);
    const [event] = await harness.waitForEvents(1);
    // The wasted mini attempt: 1000 × $0.15/M = 150 µ$, on top of the full gpt-4o answer.
    expect(event).toMatchObject({
      costNanos: 3_650_000,
      baselineCostNanos: 3_500_000,
      savings: { routing: -150_000 },
    });
  });

  it('honours x-apex-routing: off and the override header', async () => {
    harness = await startHarness({ config: config(routing) });
    await post('/v1/chat/completions', question, { 'x-apex-routing': 'off' });
    await post('/v1/chat/completions', question, { 'x-apex-model-override': 'gpt-4.1' });
    expect(harness.openaiUpstream.requests.map((r) => requestModel(r, ''))).toEqual(['gpt-4o', 'gpt-4.1']);
  });

  it('leaves the control group untouched while treatment is routed', async () => {
    harness = await startHarness({ config: config(routing, { controlShare: 0.5, splitBy: 'user' }) });
    const arms = new Map<string, string>();
    for (let i = 0; i < 40; i++) {
      const response = await post('/v1/chat/completions', { ...question, user: `user-${i}` });
      arms.set(`user-${i}`, response.headers.get('x-apex-arm') ?? '');
    }
    const events = await harness.waitForEvents(40);
    const control = events.filter((event) => event.arm === 'control');
    expect(control.length).toBeGreaterThan(5);
    expect(control.length).toBeLessThan(35);
    for (const event of control) {
      expect(event).toMatchObject({ modelServed: 'gpt-4o', savings: {}, optimizations: null });
      expect(event.baselineCostNanos).toBe(event.costNanos);
    }
    expect(events.filter((event) => event.arm === 'treatment').every((e) => e.savings?.routing)).toBe(true);
    expect([...arms.values()].filter((arm) => arm === 'control')).toHaveLength(control.length);
  });

  it('inserts Anthropic cache breakpoints on a long stable system prompt and credits the cache reads', async () => {
    harness = await startHarness({
      anthropic: anthropicHandler({ usage: { input: 100, cacheRead: 3000, output: 50 } }),
      config: config({}),
    });
    const system = 'You are a meticulous support agent for Acme. '.repeat(400).trim();
    const response = await post(
      '/v1/messages',
      { model: 'claude-sonnet-4-5', max_tokens: 100, system, messages: [{ role: 'user', content: 'Hi' }] },
      { 'anthropic-version': '2023-06-01', 'x-api-key': 'sk-ant-client' },
    );
    expect(response.headers.get('x-apex-optimizations')).toContain('prompt_caching=applied');
    const sent = harness.anthropicUpstream.requests[0]!.json as { system: Array<{ cache_control?: object }> };
    expect(sent.system.at(-1)?.cache_control).toEqual({ type: 'ephemeral' });
    const [event] = await harness.waitForEvents(1);
    // claude-sonnet-4-5: $3/M input, $0.30/M cache read, $15/M output.
    // Baseline: 3100 × 3 + 50 × 15 = 10,050 µ$; billed: 100 × 3 + 3000 × 0.30 + 50 × 15 = 1,950 µ$.
    expect(event).toMatchObject({
      baselineCostNanos: 10_050_000,
      costNanos: 1_950_000,
      savings: { prompt_caching: 8_100_000 },
    });
  });

  it('sends non-urgent requests on the flex tier at half price', async () => {
    harness = await startHarness({
      openai: openaiHandler({ usage: { prompt: 1000, completion: 100 } }),
      config: config({}),
    });
    await post('/v1/chat/completions', { ...question, model: 'o3' }, { 'x-apex-urgency': 'low' });
    expect((harness.openaiUpstream.requests[0]!.json as { service_tier?: string }).service_tier).toBe('flex');
    const [event] = await harness.waitForEvents(1);
    // o3: 1000 × $2/M + 100 × $8/M = 2,800 µ$, half of it on flex.
    expect(event).toMatchObject({
      baselineCostNanos: 2_800_000,
      costNanos: 1_400_000,
      savings: { service_tier: 1_400_000 },
    });
  });

  it('compresses a pretty-printed tool result losslessly and scales the baseline back up', async () => {
    harness = await startHarness({
      openai: openaiHandler({ usage: { prompt: 1000, completion: 10 } }),
      config: config({}),
    });
    const report = JSON.stringify(
      { rows: Array.from({ length: 40 }, (_, i) => ({ id: i, status: 'ok', region: 'eu-west-1' })) },
      null,
      4,
    );
    const messages = [
      { role: 'user', content: `Here is the job report:\n\n${FENCE}json\n${report}\n${FENCE}` },
      { role: 'assistant', content: 'Noted.' },
      { role: 'user', content: 'Which rows failed?' },
    ];
    const response = await post('/v1/chat/completions', { model: 'gpt-4o', messages });
    expect(response.headers.get('x-apex-optimizations')).toMatch(/compression=applied \(-\d+% prompt tokens/);
    const sent = harness.openaiUpstream.requests[0]!.json as { messages: Array<{ content: string }> };
    expect(sent.messages[0]!.content.length).toBeLessThan(messages[0]!.content.length);
    const [event] = await harness.waitForEvents(1);
    expect(event!.savings?.compression).toBeGreaterThan(0);
    expect(event!.baselineCostNanos).toBe(event!.costNanos + event!.savings!.compression!);
  });

  it('lets the classifier send an easy request to the cheap model, and keeps a hard one', async () => {
    const classifier = {
      settings: { routing: { enabled: true, classifier: { enabled: true, cheapModel: 'gpt-4o-mini' } } },
    };
    harness = await startHarness({ config: config(classifier) });
    await post('/v1/chat/completions', {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Hi there!' }],
    });
    const proof =
      'Prove step by step that there are infinitely many primes, then derive a bound on the gap between consecutive primes and analyze its tightness.';
    const hard = await post('/v1/chat/completions', {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: proof }],
    });
    expect(hard.headers.get('x-apex-optimizations') ?? '').not.toContain('routing=applied');
    expect(harness.openaiUpstream.requests.map((r) => requestModel(r, ''))).toEqual([
      'gpt-4o-mini',
      'gpt-4o',
    ]);
    const [easy] = await harness.waitForEvents(2);
    expect(JSON.parse(easy!.optimizations!)).toContainEqual(
      expect.objectContaining({
        optimizer: 'routing',
        outcome: 'applied',
        detail: expect.stringContaining('classifier p(hard)='),
      }),
    );
  });

  it('does not route to a model of the other API, and says why', async () => {
    const crossApi = {
      settings: { routing: { enabled: true, rules: [{ name: 'x', to: 'claude-haiku-4-5' }] } },
    };
    harness = await startHarness({ config: config(crossApi) });
    const response = await post('/v1/chat/completions', question);
    expect(response.headers.get('x-apex-optimizations')).toContain(
      'routing=skipped (claude-haiku-4-5 is not a configured model of this API)',
    );
    expect(requestModel(harness.openaiUpstream.requests[0], '')).toBe('gpt-4o');
  });
});
