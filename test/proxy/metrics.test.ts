import { afterEach, describe, expect, it } from 'vitest';
import { openaiHandler } from '../mocks/openai.ts';
import { startHarness, type Harness } from '../support/apex-harness.ts';

let harness: Harness;
afterEach(async () => harness?.close());

function sample(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line ? Number(line.split(' ').at(-1)) : NaN;
}

describe('/metrics and /healthz', () => {
  it('exposes requests, latency, tokens and cost in Prometheus text format', async () => {
    harness = await startHarness({
      openai: openaiHandler({ usage: { prompt: 2000, cached: 1500, completion: 300 } }),
    });
    for (let i = 0; i < 3; i++) {
      await harness.openai.chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'x' }],
      });
    }
    await harness.waitForEvents(3);
    const response = await fetch(`${harness.proxy.url}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    const model = 'model="gpt-4o"';
    expect(sample(text, 'apex_requests_total', 'status="200"')).toBe(3);
    expect(sample(text, 'apex_tokens_total', 'kind="input"')).toBe(6000);
    expect(sample(text, 'apex_tokens_total', 'kind="cached_input"')).toBe(4500);
    expect(sample(text, 'apex_cost_nanodollars_total', model)).toBe(3 * 6_125_000);
    expect(sample(text, 'apex_request_duration_seconds_count', model)).toBe(3);
    expect(text).toContain('# TYPE apex_request_duration_seconds histogram');
    expect(await (await fetch(`${harness.proxy.url}/healthz`)).json()).toEqual({ status: 'ok' });
  });
});
