import { connect as netConnect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { costNanos } from '../../pricing/cost.ts';
import { startSimulator, type RunningSimulator } from '../../proxy/simulator/server.ts';
import {
  ask,
  connect,
  metricsWhen,
  refusal,
  startObservedSimulator,
  startRig,
  UPSTREAM_KEY,
  wsUrl,
  type ObservedUpstream,
  type Rig,
  type ServerEvent,
} from './realtime-support.ts';

let upstream: ObservedUpstream | null = null;
let rig: Rig | null = null;
let simulator: RunningSimulator | null = null;

afterEach(async () => {
  await rig?.close();
  await upstream?.close();
  await simulator?.close();
  rig = null;
  upstream = null;
  simulator = null;
});

async function start(): Promise<{ rig: Rig; upstream: ObservedUpstream }> {
  upstream = await startObservedSimulator();
  rig = await startRig(upstream.url);
  return { rig, upstream };
}

/** gpt-realtime's list prices in nano-dollars per 1M tokens (@pydantic/genai-prices). */
const TEXT = { input: 4_000_000_000, cachedInput: 400_000_000, output: 16_000_000_000 };
const AUDIO = { input: 32_000_000_000, cachedInput: 400_000_000, output: 64_000_000_000 };

type Usage = {
  input_tokens: number;
  output_tokens: number;
  input_token_details: {
    cached_tokens: number;
    audio_tokens: number;
    cached_tokens_details: { audio_tokens: number };
  };
  output_token_details: { audio_tokens: number };
};

function usageOf(done: ServerEvent): Usage {
  return (done.response as { usage: Usage }).usage;
}

describe('realtime sessions through the proxy', () => {
  it('relays the session and streams the answer in order', async () => {
    const { rig } = await start();
    const client = await connect(wsUrl(rig.proxy.url, '/v1/realtime?model=voice'));
    expect(client.upgradeHeaders['x-apex-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const created = await client.next('session.created');
    expect((created.session as { model: string }).model).toBe('gpt-realtime-mini');
    const events = await ask(client, 'What is the capital of France?');
    const types = events.map((event) => event.type);
    expect(types[0]).toBe('response.created');
    expect(types[1]).toBe('response.output_item.added');
    expect(types.at(-2)).toBe('response.output_text.done');
    expect(types.at(-1)).toBe('response.done');
    const deltas = events.filter((event) => event.type === 'response.output_text.delta');
    expect(deltas.length).toBeGreaterThan(1);
    const streamed = deltas.map((event) => event.delta as string).join('');
    expect(streamed).toBe(events.at(-2)!.text);
    client.ws.close();
    await client.closed;
  });

  it('records one priced usage event per response.done', async () => {
    const { rig, upstream } = await start();
    const client = await connect(wsUrl(rig.proxy.url, '/realtime?model=gpt-realtime'));
    const long = 'Please consider this detailed background. '.repeat(120);
    const first = usageOf((await ask(client, long)).at(-1)!);
    const second = usageOf((await ask(client, 'And a follow-up question?')).at(-1)!);
    const events = await rig.waitForEvents(2);
    expect(events).toHaveLength(2);
    expect(second.input_token_details.cached_tokens).toBeGreaterThanOrEqual(1024);
    for (const [index, usage] of [first, second].entries()) {
      const event = events[index]!;
      expect(event).toMatchObject({
        api: 'openai',
        endpoint: 'realtime',
        provider: 'openai',
        modelRequested: 'gpt-realtime',
        modelServed: 'gpt-realtime',
        streamed: true,
        status: 200,
        errorClass: null,
        priceSource: 'genai-prices',
        inputTokens: usage.input_tokens,
        outputTokens: usage.output_tokens,
        cachedInputTokens: usage.input_token_details.cached_tokens,
      });
      expect(event.keyId).toBeNull();
      const tokens = {
        inputTokens: usage.input_tokens,
        outputTokens: usage.output_tokens,
        cachedInputTokens: usage.input_token_details.cached_tokens,
        cacheWriteTokens: 0,
        cacheWrite1hTokens: 0,
        reasoningTokens: 0,
      };
      expect(Number.isInteger(event.costNanos)).toBe(true);
      expect(event.costNanos).toBeGreaterThan(0);
      expect(event.costNanos).toBe(costNanos(tokens, TEXT));
      expect(event.latencyUs).toBeGreaterThan(0);
      expect(event.ttftUs).toBeGreaterThan(0);
    }
    // Apex's key went upstream with the deployment's model name.
    expect(upstream.handshakes[0]!.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    expect(upstream.handshakes[0]!.url).toBe('/v1/realtime?model=gpt-realtime');
    client.ws.close();
  });

  it('prices audio tokens at the model’s audio rates', async () => {
    const { rig } = await start();
    const client = await connect(wsUrl(rig.proxy.url, '/v1/realtime?model=gpt-realtime'));
    client.send({ type: 'session.update', session: { type: 'realtime', output_modalities: ['audio'] } });
    await client.next('session.updated');
    client.send({ type: 'input_audio_buffer.append', audio: Buffer.alloc(96_000).toString('base64') });
    client.send({ type: 'input_audio_buffer.commit' });
    client.send({ type: 'response.create' });
    const done = await client.next('response.done');
    expect(client.events.some((event) => event.type === 'response.output_audio.delta')).toBe(true);
    const usage = usageOf(done);
    expect(usage.input_token_details.audio_tokens).toBe(20);
    expect(usage.output_token_details.audio_tokens).toBeGreaterThan(0);
    const [event] = await rig.waitForEvents(1);
    const audioIn = usage.input_token_details.audio_tokens;
    const audioOut = usage.output_token_details.audio_tokens;
    const zero = { cacheWriteTokens: 0, cacheWrite1hTokens: 0, reasoningTokens: 0, cachedInputTokens: 0 };
    const text = {
      ...zero,
      inputTokens: usage.input_tokens - audioIn,
      outputTokens: usage.output_tokens - audioOut,
    };
    const audio = { ...zero, inputTokens: audioIn, outputTokens: audioOut };
    expect(event!.costNanos).toBe(costNanos(text, TEXT) + costNanos(audio, AUDIO));
    const allAtText = costNanos(
      { ...zero, inputTokens: usage.input_tokens, outputTokens: usage.output_tokens },
      TEXT,
    );
    expect(event!.costNanos).toBeGreaterThan(allAtText);
    client.ws.close();
  });

  it('passes the caller’s key through when the provider has none, and relays the upstream’s 401', async () => {
    const { rig, upstream } = await start();
    const url = wsUrl(rig.proxy.url, '/v1/realtime?model=own-key-realtime');
    const refused = await refusal(connect(url, { headers: { authorization: 'Bearer sk-invalid-key-123' } }));
    expect(refused.status).toBe(401);
    expect(refused.json().error.code).toBe('invalid_api_key');
    expect(refused.headers['x-apex-request-id']).toBeTruthy();
    const ok = await connect(url, { protocols: ['realtime', 'openai-insecure-api-key.sk-callers-own-key'] });
    expect(ok.ws.protocol).toBe('realtime');
    await ok.next('session.created');
    const seen = upstream.handshakes.at(-1)!;
    expect(seen.headers.authorization).toBe('Bearer sk-callers-own-key');
    expect(seen.protocols).toEqual([]);
    ok.send({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
    });
    ok.send({ type: 'response.create' });
    await ok.next('response.done');
    const [event] = await rig.waitForEvents(1);
    expect(event!.keyId).toMatch(/^key_/);
    ok.ws.close();
  });

  it('refuses unknown models, models without realtime, foreign hosts and other paths before any upstream call', async () => {
    const { rig, upstream } = await start();
    const unknown = await refusal(connect(wsUrl(rig.proxy.url, '/v1/realtime?model=nope')));
    expect(unknown.status).toBe(404);
    expect(unknown.json().error.code).toBe('model_not_found');
    const missing = await refusal(connect(wsUrl(rig.proxy.url, '/v1/realtime')));
    expect(missing.status).toBe(400);
    const anthropic = await refusal(connect(wsUrl(rig.proxy.url, '/v1/realtime?model=claude-voice')));
    expect(anthropic.status).toBe(400);
    expect(anthropic.json().error.message).toContain('no realtime WebSocket API');
    const host = await refusal(
      connect(wsUrl(rig.proxy.url, '/v1/realtime?model=gpt-realtime'), { headers: { host: 'evil.example' } }),
    );
    expect(host.status).toBe(403);
    expect(host.json().error.message).toContain('evil.example');
    const path = await refusal(connect(wsUrl(rig.proxy.url, '/v1/chat/completions')));
    expect(path.status).toBe(404);
    expect(path.body).toBe('Not Found');
    expect(upstream.handshakes).toHaveLength(0);
  });

  it('refuses a malformed upgrade with 400', async () => {
    const { rig } = await start();
    const answer = await new Promise<string>((resolve) => {
      const socket = netConnect(rig.proxy.port, '127.0.0.1', () => {
        socket.write(
          'GET /v1/realtime?model=gpt-realtime HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n' +
            'Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\r\n',
        );
      });
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('Sec-WebSocket-Key');
  });

  it('relays binary frames unchanged', async () => {
    const { rig } = await start();
    const client = await connect(wsUrl(rig.proxy.url, '/v1/realtime?model=gpt-realtime'));
    const payload = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    client.ws.send(payload, { binary: true });
    const echoed = await new Promise<Buffer>((resolve) => {
      const poll = setInterval(() => {
        if (client.binary.length > 0) {
          clearInterval(poll);
          resolve(client.binary[0]!);
        }
      }, 5);
    });
    expect(echoed.equals(payload)).toBe(true);
    client.ws.close();
  });

  it('ends open sessions when the proxy closes, without waiting for its grace period', async () => {
    const { rig: running } = await start();
    const client = await connect(wsUrl(running.proxy.url, '/v1/realtime?model=gpt-realtime'));
    await client.next('session.created');
    const started = Date.now();
    await running.proxy.close(10_000);
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await client.closed).code).toBe(1001);
    rig = null;
  });

  it('lets a response in flight finish before a closing proxy ends its session', async () => {
    const { rig: running } = await start();
    const client = await connect(wsUrl(running.proxy.url, '/v1/realtime?model=gpt-realtime'));
    client.send({ type: 'response.create' });
    await client.next('response.created');
    await running.proxy.close(10_000);
    expect(client.events.at(-1)!.type).toBe('response.done');
    expect((await client.closed).code).toBe(1001);
    expect(running.events).toHaveLength(1);
    rig = null;
  });

  it('counts sessions in /metrics', async () => {
    const { rig } = await start();
    const client = await connect(wsUrl(rig.proxy.url, '/v1/realtime?model=gpt-realtime'));
    await ask(client, 'Hello');
    await rig.waitForEvents(1);
    await refusal(connect(wsUrl(rig.proxy.url, '/v1/realtime?model=nope')));
    const text = await (await fetch(`${rig.proxy.url}/metrics`)).text();
    expect(text).toContain('apex_realtime_sessions_open{provider="openai"} 1');
    expect(text).toContain(
      'apex_realtime_sessions_total{provider="openai",model="gpt-realtime",outcome="opened"} 1',
    );
    expect(text).toContain('apex_realtime_sessions_total{provider="none",model="",outcome="refused"} 1');
    expect(text).toMatch(
      /apex_requests_total\{provider="openai",model="gpt-realtime",endpoint="realtime",status="200"\} 1/,
    );
    client.ws.close();
    await client.closed;
    const after = await metricsWhen(rig.proxy.url, 'apex_realtime_sessions_open{provider="openai"} 0');
    expect(after).toContain('outcome="opened"} 1');
  });

  it('works against the simulator apex serve starts (its server has the realtime endpoint)', async () => {
    simulator = await startSimulator({ seed: 1, errorRate: 0, speed: 1000 });
    rig = await startRig(simulator.url);
    const client = await connect(wsUrl(rig.proxy.url, '/v1/realtime?model=gpt-realtime'), {
      headers: { 'openai-beta': 'realtime=v1' },
    });
    const events = await ask(client, 'Hi there');
    expect(events.some((event) => event.type === 'response.text.delta')).toBe(true);
    await rig.waitForEvents(1);
    // Closing the simulator ends its sessions, and the proxy relays the close.
    await simulator.close();
    simulator = null;
    expect((await client.closed).code).toBe(1001);
  });
});
