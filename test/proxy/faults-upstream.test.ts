// The fault upstream itself, called directly: what each fault looks like on the wire.
import { afterEach, describe, expect, it } from 'vitest';
import { faultMix, startFaultUpstream, type FaultUpstream } from '../support/fault-upstream.ts';
import { parseSseText } from '../support/sse-parse.ts';

let upstream: FaultUpstream;
afterEach(async () => upstream?.close());

const chatBody = (stream: boolean) => JSON.stringify({ model: 'gpt-4o-mini', messages: [], stream });

function post(path: string, body: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${upstream.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'sk-test' },
    body,
    signal,
  });
}

describe('fault upstream', () => {
  it('answers both APIs normally, with usage, and records what it received', async () => {
    upstream = await startFaultUpstream();
    const chat = await (await post('/v1/chat/completions', chatBody(false))).json();
    expect(chat).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4o-mini',
      usage: { prompt_tokens: 12 },
    });
    const stream = await (
      await post('/v1/messages', JSON.stringify({ model: 'claude-x', stream: true }))
    ).text();
    const events = parseSseText(stream);
    expect(events[0]!.event).toBe('message_start');
    expect(events.at(-1)!.event).toBe('message_stop');
    expect(upstream.count()).toBe(2);
    expect(upstream.count('anthropic')).toBe(1);
    expect(upstream.requests[1]).toMatchObject({ api: 'anthropic', stream: true, seq: 2 });
    expect(upstream.requests[1]!.headers['x-api-key']).toBe('sk-test');
    expect(upstream.faultCounts()).toEqual({ ok: 2 });
  });

  it('sends 429s with retry-after, retry-after-ms and the provider’s rate-limit headers', async () => {
    upstream = await startFaultUpstream();
    upstream.script({ kind: 'rate-limit', retryAfterMs: 1_500 }, { kind: 'rate-limit' });
    const openai = await post('/v1/chat/completions', chatBody(false));
    expect(openai.status).toBe(429);
    expect(openai.headers.get('retry-after-ms')).toBe('1500');
    expect(openai.headers.get('retry-after')).toBe('2');
    expect(openai.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(await openai.json()).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
    const anthropic = await post('/v1/messages', '{}');
    expect(anthropic.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    expect(await anthropic.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
  });

  it('cuts and garbles streams as scripted', async () => {
    upstream = await startFaultUpstream();
    upstream.script(
      { kind: 'reset-mid-stream', afterEvents: 2 },
      { kind: 'malformed', variant: 'truncated' },
      { kind: 'malformed', variant: 'broken-json' },
    );
    const reset = await post('/v1/chat/completions', chatBody(true));
    await expect(reset.text()).rejects.toThrow();
    expect(parseSseText(upstream.requests[0]!.sent)).toHaveLength(2);
    const truncated = await (await post('/v1/chat/completions', chatBody(true))).text();
    expect(truncated.endsWith('\n\n')).toBe(false);
    const broken = await (await post('/v1/chat/completions', chatBody(false))).text();
    expect(() => JSON.parse(broken) as unknown).toThrow();
  });

  it('stalls after its headers, and notices the client leaving', async () => {
    upstream = await startFaultUpstream();
    upstream.script({ kind: 'stall' });
    const abort = new AbortController();
    const response = await post('/v1/chat/completions', chatBody(false), abort.signal);
    expect(response.status).toBe(200);
    expect(upstream.openSockets()).toBe(1);
    abort.abort();
    await upstream.waitForClientClosures(1);
    expect(upstream.requests[0]!.closedEarly).toBe(true);
    await expect(upstream.waitForClientClosures(2, 50)).rejects.toThrow('expected 2 client closures, saw 1');
  });

  it('resets before the headers without counting that as the client leaving', async () => {
    upstream = await startFaultUpstream({ record: false });
    upstream.setDefault({ kind: 'reset' });
    await expect(post('/v1/messages', 'not json')).rejects.toThrow();
    expect(upstream.clientClosures()).toBe(0);
    expect(upstream.requests).toHaveLength(0);
    expect(upstream.connectionsSeen()).toBe(1);
  });

  it('draws a seeded mix: the same seed gives the same faults, in about the given shares', () => {
    const request = {
      api: 'openai' as const,
      path: '/v1/chat/completions',
      headers: {},
      json: null,
      stream: false,
    };
    const mix = () =>
      faultMix(7, [
        [{ kind: 'error', status: 500 }, 0.2],
        [() => ({ kind: 'hang' }), 0.1],
      ]);
    const first = mix();
    const second = mix();
    const kinds = Array.from({ length: 2_000 }, () => first(request).kind);
    expect(Array.from({ length: 2_000 }, () => second(request).kind)).toEqual(kinds);
    const share = (kind: string) => kinds.filter((k) => k === kind).length / kinds.length;
    expect(share('error')).toBeCloseTo(0.2, 1);
    expect(share('hang')).toBeCloseTo(0.1, 1);
    expect(share('ok')).toBeCloseTo(0.7, 1);
  });

  it('closes with requests still hanging, and may be closed twice', async () => {
    upstream = await startFaultUpstream({ default: { kind: 'slow', delayMs: 60_000 } });
    const pending = post('/v1/chat/completions', chatBody(false)).catch((error: unknown) => error);
    while (upstream.count() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await upstream.close();
    await upstream.close();
    expect(await pending).toBeInstanceOf(Error);
    expect(upstream.openSockets()).toBe(0);
  });
});
