/**
 * The mock upstream server itself: request recording, reply kinds, SSE framing,
 * faults and keep-alive. SDK fidelity of the provider payloads is proven in
 * openai-sdk.test.ts and anthropic-sdk.test.ts.
 */
import { Agent, request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockUpstream } from '../support/mock-upstream.ts';
import type { MockUpstream, SseEvent } from '../support/mock-upstream.ts';
import { parseSseText, readSseEvents } from '../support/sse-parse.ts';

let upstream: MockUpstream;

beforeAll(async () => {
  upstream = await startMockUpstream(() => ({ kind: 'json', body: {} }));
});
afterAll(() => upstream.close());
beforeEach(() => {
  upstream.requests.length = 0;
});

const EVENTS: SseEvent[] = [
  { event: 'first', data: '{"n":1}' },
  { data: 'line one\nline two' },
  { event: 'third', data: '{"n":3}' },
];

interface AgentResult {
  response: IncomingMessage;
  reusedSocket: boolean;
}

function getViaAgent(agent: Agent): Promise<AgentResult> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${upstream.url}/ping`, { agent }, (response) => {
      response.resume();
      response.on('end', () => resolve({ response, reusedSocket: req.reusedSocket }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startMockUpstream', () => {
  it('listens on 127.0.0.1 and exposes url and origin', () => {
    expect(upstream.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(upstream.origin).toBe(upstream.url);
    expect(upstream.port).toBeGreaterThan(0);
  });

  it('records method, path, query, headers, raw body and parsed JSON', async () => {
    await fetch(`${upstream.url}/v1/things?limit=2`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-custom': 'yes' },
      body: '{"model":"m","n":1}',
    });
    const [recorded] = upstream.requests;
    expect(recorded?.method).toBe('POST');
    expect(recorded?.path).toBe('/v1/things');
    expect(recorded?.url).toBe('/v1/things?limit=2');
    expect(recorded?.query.get('limit')).toBe('2');
    expect(recorded?.headers['x-custom']).toBe('yes');
    expect(recorded?.body).toBe('{"model":"m","n":1}');
    expect(recorded?.json).toEqual({ model: 'm', n: 1 });
  });

  it('leaves json undefined for bodies that are empty or not JSON', async () => {
    await fetch(upstream.url, { method: 'POST', body: 'not json' });
    await fetch(upstream.url);
    expect(upstream.requests.map((recorded) => recorded.json)).toEqual([undefined, undefined]);
    expect(upstream.requests[1]?.body).toBe('');
  });

  it('answers json replies with status, headers and body', async () => {
    upstream.setHandler(() => ({
      kind: 'json',
      status: 418,
      headers: { 'x-mock': '1' },
      body: { ok: false },
    }));
    const response = await fetch(upstream.url);
    expect(response.status).toBe(418);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-mock')).toBe('1');
    expect(await response.json()).toEqual({ ok: false });
  });

  it('frames sse replies per the SSE spec, multi-line data included', async () => {
    upstream.setHandler(() => ({ kind: 'sse', events: EVENTS }));
    const response = await fetch(upstream.url);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const text = await response.text();
    expect(text).toBe(
      'event: first\ndata: {"n":1}\n\ndata: line one\ndata: line two\n\nevent: third\ndata: {"n":3}\n\n',
    );
    expect(parseSseText(text)).toEqual(EVENTS);
  });

  it('spaces sse events by delayMs', async () => {
    upstream.setHandler(() => ({ kind: 'sse', events: EVENTS, delayMs: 40 }));
    const started = performance.now();
    const events = await readSseEvents(await fetch(upstream.url));
    expect(events).toHaveLength(3);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('turns a throwing handler into a loud 500', async () => {
    upstream.setHandler(() => {
      throw new Error('bad script');
    });
    const response = await fetch(upstream.url);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ mockHandlerError: 'bad script' });
  });

  it('writes raw chunks byte for byte', async () => {
    const chunks = ['data: {"broken":', '\n\n', 'event: x\r\ndata: ok\r\n\r\n'];
    upstream.setHandler(() => ({
      kind: 'raw',
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
      chunks,
    }));
    const response = await fetch(upstream.url);
    expect(await response.text()).toBe(chunks.join(''));
  });

  it('keeps connections alive between requests', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await getViaAgent(agent);
      const second = await getViaAgent(agent);
      expect(first.response.headers.connection).toBe('keep-alive');
      expect(first.reusedSocket).toBe(false);
      expect(second.reusedSocket).toBe(true);
    } finally {
      agent.destroy();
    }
  });
});

describe('fault replies', () => {
  it('hang never answers', async () => {
    upstream.setHandler(() => ({ kind: 'hang' }));
    await expect(fetch(upstream.url, { signal: AbortSignal.timeout(150) })).rejects.toThrow(
      /timeout|aborted/i,
    );
  });

  it('hang with events sends headers and those events, then stalls', async () => {
    upstream.setHandler(() => ({ kind: 'hang', events: EVENTS.slice(0, 1) }));
    const response = await fetch(upstream.url, { signal: AbortSignal.timeout(300) });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('event: first\ndata: {"n":1}\n\n');
    await expect(reader.read()).rejects.toThrow(/timeout|aborted/i);
  });

  it('reset-after sends the first events and then drops the connection', async () => {
    upstream.setHandler(() => ({ kind: 'reset-after', events: EVENTS, afterEvents: 1 }));
    const response = await fetch(upstream.url);
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let received = '';
    const readAll = async (): Promise<void> => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        received += new TextDecoder().decode(value);
      }
    };
    await expect(readAll()).rejects.toThrow();
    expect(received).toBe('event: first\ndata: {"n":1}\n\n');
  });

  it('close() returns promptly even with a hanging request open, and is idempotent', async () => {
    const separate = await startMockUpstream(() => ({ kind: 'hang' }));
    const pending = fetch(separate.url).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await separate.close();
    expect(await pending).toBeInstanceOf(Error);
    await expect(separate.close()).resolves.toBeUndefined();
  });
});
