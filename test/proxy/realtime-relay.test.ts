import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { UsageEvent } from '../../contracts/usage.ts';
import { parseConfigText } from '../../proxy/config/load.ts';
import { KeyAccess } from '../../proxy/keys/access.ts';
import { VirtualKeyStore } from '../../proxy/keys/key-store.ts';
import { ProxyMetrics } from '../../proxy/metrics.ts';
import { attachRealtime } from '../../proxy/realtime/gateway.ts';
import { buildRuntime } from '../../proxy/runtime.ts';
import { UpstreamAgents } from '../../proxy/upstream/agents.ts';
import {
  connect,
  listen,
  refusal,
  startRig,
  startScriptedUpstream,
  waitFor,
  wsUrl,
  type Rig,
  type ScriptedUpstream,
} from './realtime-support.ts';

let upstream: ScriptedUpstream | null = null;
let rig: Rig | null = null;
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  await rig?.close();
  await upstream?.close();
  for (const cleanup of cleanups.splice(0)) await cleanup();
  rig = null;
  upstream = null;
});

async function start(
  onConnection?: Parameters<typeof startScriptedUpstream>[0],
  verify?: Parameters<typeof startScriptedUpstream>[1],
): Promise<{ rig: Rig; upstream: ScriptedUpstream; url: string }> {
  upstream = await startScriptedUpstream(onConnection, verify);
  rig = await startRig(upstream.url);
  return { rig, upstream, url: wsUrl(rig.proxy.url, '/v1/realtime?model=gpt-realtime') };
}

const USAGE = {
  input_tokens: 1000,
  output_tokens: 200,
  input_token_details: { cached_tokens: 500, text_tokens: 1000, audio_tokens: 0 },
  output_token_details: { text_tokens: 200, audio_tokens: 0 },
};

describe('realtime relay', () => {
  it('relays close codes and reasons both ways', async () => {
    const first = await start();
    const client = await connect(first.url);
    client.ws.close(4001, 'client says bye');
    await waitFor(() => first.upstream.closes[0], 'the upstream close');
    expect(first.upstream.closes[0]).toEqual({ code: 4001, reason: 'client says bye' });
    const second = await connect(first.url);
    await waitFor(() => first.upstream.sockets[1], 'the second upstream socket');
    first.upstream.sockets[1]!.close(4002, 'provider says bye');
    expect(await second.closed).toEqual({ code: 4002, reason: 'provider says bye' });
  });

  it('closes the client with 1011 when the upstream connection breaks', async () => {
    const started = await start();
    const client = await connect(started.url);
    await waitFor(() => started.upstream.sockets[0], 'the upstream socket');
    started.upstream.sockets[0]!.terminate();
    expect((await client.closed).code).toBe(1011);
  });

  it('relays the upstream’s HTTP refusal of the handshake with its status, headers and body', async () => {
    const body = JSON.stringify({ error: { message: 'Project not allowed', code: 'forbidden' } });
    const started = await start(undefined, () => ({ status: 403, body }));
    const refused = await refusal(connect(started.url));
    expect(refused.status).toBe(403);
    expect(refused.body).toBe(body);
    expect(refused.headers['x-upstream']).toBe('yes');
    expect(refused.headers['x-apex-request-id']).toBeTruthy();
  });

  it('answers 502 when the upstream cannot be reached', async () => {
    const closed = createServer();
    const deadUrl = await listen(closed);
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    rig = await startRig(deadUrl);
    const refused = await refusal(connect(wsUrl(rig.proxy.url, '/v1/realtime?model=gpt-realtime')));
    expect(refused.status).toBe(502);
    expect(refused.json().error.type).toBe('server_error');
  });

  it('relays many frames in order both ways', async () => {
    const received: string[] = [];
    const started = await start((socket) => {
      socket.on('message', (data) => received.push(data.toString()));
      for (let i = 0; i < 300; i++) socket.send(JSON.stringify({ type: 'x', i, pad: 'a'.repeat(i * 50) }));
    });
    const client = await connect(started.url);
    for (let i = 0; i < 300; i++) client.ws.send(`frame ${i}`);
    await waitFor(() => (client.events.length === 300 ? true : null), '300 frames at the client');
    expect(client.events.map((event) => event.i)).toEqual([...Array(300).keys()]);
    await waitFor(() => (received.length === 300 ? true : null), '300 frames at the upstream');
    expect(received).toEqual([...Array(300).keys()].map((i) => `frame ${i}`));
  });

  it('stops reading the upstream while the client is not reading', async () => {
    const frame = Buffer.alloc(1024 * 1024, 7);
    const frames = 48;
    const started = await start((socket) => {
      for (let i = 0; i < frames; i++) socket.send(frame, { binary: true });
    });
    const client = await connect(started.url);
    client.ws.pause();
    const provider = await waitFor(() => started.upstream.sockets[0], 'the upstream socket');
    // The proxy holds at most about its high-water mark; the rest waits in the provider's own buffer.
    await waitFor(() => (provider.bufferedAmount > 8 * 1024 * 1024 ? true : null), 'provider-side backlog');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(provider.bufferedAmount).toBeGreaterThan(8 * 1024 * 1024);
    client.ws.resume();
    await waitFor(() => (client.binary.length === frames ? true : null), 'every frame', 15_000);
    expect(client.binary.every((data) => data.equals(frame))).toBe(true);
  });

  it('never lets a malformed server event break the session, and reads response.done in any field order', async () => {
    const started = await start((socket) => {
      socket.send('{"type":"response.done","response":');
      socket.send('not json at all');
      socket.send(Buffer.from('{"type":"response.done"}'), { binary: true });
      socket.send(
        JSON.stringify({ type: 'response.done', response: { id: 'r0', status: 'completed', usage: 'x' } }),
      );
      socket.send(JSON.stringify({ event_id: 'e1', type: 'response.created', response: { id: 'r1' } }));
      socket.send(JSON.stringify({ type: 'response.output_text.delta', response_id: 'r1', delta: 'hi' }));
      socket.send(
        JSON.stringify({
          event_id: 'e2',
          type: 'response.done',
          response: { id: 'r1', status: 'completed', usage: USAGE },
        }),
      );
      socket.send(
        JSON.stringify({
          type: 'response.done',
          response: {
            id: 'r2',
            status: 'failed',
            status_details: { error: { type: 'server_error', code: 'overloaded' } },
            usage: USAGE,
          },
        }),
      );
    });
    const client = await connect(started.url);
    const events = await started.rig.waitForEvents(3);
    expect(events[0]).toMatchObject({ errorClass: 'usage_missing', inputTokens: 0, costNanos: 0 });
    expect(events[1]).toMatchObject({
      status: 200,
      inputTokens: 1000,
      cachedInputTokens: 500,
      outputTokens: 200,
    });
    expect(events[1]!.costNanos).toBe(500 * 4000 + 500 * 400 + 200 * 16000);
    expect(events[1]!.ttftUs).not.toBeNull();
    expect(events[2]).toMatchObject({ status: 500, errorClass: 'overloaded' });
    await waitFor(
      () => (client.events.length + client.binary.length >= 6 ? true : null),
      'the relayed frames',
    );
    expect(client.binary[0]!.toString()).toBe('{"type":"response.done"}');
    client.ws.send('still alive?');
    expect(started.rig.logged).toEqual([]);
  });
});

describe('realtime upstream addressing', () => {
  async function startAzure(azure: object): Promise<{ url: string }> {
    upstream = await startScriptedUpstream();
    rig = await startRig(upstream.url, {
      providers: { azure: { kind: 'azure', baseUrl: upstream.url, apiKey: 'azure-secret', ...azure } },
      models: [{ name: 'gpt-realtime', provider: 'azure', model: 'my-realtime-deployment' }],
    });
    return { url: wsUrl(rig.proxy.url, '/v1/realtime?model=gpt-realtime') };
  }

  it('uses Azure’s v1 realtime path with the deployment and the api-key header', async () => {
    const { url } = await startAzure({});
    const client = await connect(url, { headers: { authorization: 'Bearer client-key' } });
    const seen = upstream!.handshakes[0]!;
    expect(seen.url).toBe('/openai/v1/realtime?model=my-realtime-deployment');
    expect(seen.headers['api-key']).toBe('azure-secret');
    expect(seen.headers.authorization).toBeUndefined();
    client.ws.close();
  });

  it('uses the preview path with a dated api-version, the client’s own version first', async () => {
    const { url } = await startAzure({ apiVersion: '2025-04-01-preview' });
    const configured = await connect(url);
    const own = await connect(`${url}&api-version=2024-10-01-preview`);
    expect(upstream!.handshakes.map((h) => h.url)).toEqual([
      '/openai/realtime?api-version=2025-04-01-preview&deployment=my-realtime-deployment',
      '/openai/realtime?api-version=2024-10-01-preview&deployment=my-realtime-deployment',
    ]);
    configured.ws.close();
    own.ws.close();
  });
});

describe('realtime gateway lifecycle', () => {
  /** A gateway on a server of the test's own, for options startProxy does not expose. */
  async function gateway(upstreamUrl: string, pingIntervalMs: number) {
    const config = parseConfigText(
      JSON.stringify({
        providers: { openai: { kind: 'openai', baseUrl: `${upstreamUrl}/v1`, apiKey: 'sk-up' } },
        models: [{ name: 'gpt-realtime', provider: 'openai' }],
      }),
      'gateway.json',
    );
    const agents = new UpstreamAgents();
    const runtime = await buildRuntime(config, agents);
    const store = new VirtualKeyStore(':memory:');
    const events: UsageEvent[] = [];
    const server: Server = createServer();
    const realtime = attachRealtime(server, {
      runtime: () => runtime,
      sink: { record: (event) => events.push(event) },
      metrics: new ProxyMetrics(),
      logger: { warn: () => {}, error: () => {} },
      keyAccess: new KeyAccess({ store }),
      pingIntervalMs,
    });
    const url = await listen(server);
    cleanups.push(async () => {
      realtime.closeAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      store.close();
      agents.close();
    });
    return { url: wsUrl(url, '/v1/realtime?model=gpt-realtime'), realtime, store, events, server };
  }

  it('drops a client that stops answering pings, and closes its upstream', async () => {
    upstream = await startScriptedUpstream();
    const { url, realtime } = await gateway(upstream.url, 40);
    const client = await connect(url, { autoPong: false });
    expect((await client.closed).code).toBe(1006);
    await waitFor(() => upstream!.closes[0], 'the upstream close');
    expect(upstream.closes[0]!.code).toBe(1001);
    await waitFor(() => (realtime.size === 0 ? true : null), 'the session to end');
  });

  it('keeps a session whose both sides answer pings', async () => {
    upstream = await startScriptedUpstream();
    const { url, realtime } = await gateway(upstream.url, 20);
    const client = await connect(url);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
    expect(realtime.size).toBe(1);
    client.ws.close();
  });

  it('abandons the upstream handshake when the client leaves first, and refuses upgrades while closing', async () => {
    let arrived = 0;
    let abandoned = 0;
    const held: Array<{ destroy(): void }> = [];
    const slow = createServer();
    slow.on('upgrade', (_req, socket) => {
      arrived += 1; // and never answers
      held.push(socket);
      socket.once('end', () => (abandoned += 1));
      socket.resume(); // an unread socket would never see its peer leave
    });
    const slowUrl = await listen(slow);
    cleanups.push(() => {
      for (const socket of held) socket.destroy();
      return new Promise<void>((resolve) => slow.close(() => resolve()));
    });
    const { url, realtime } = await gateway(slowUrl, 1000);
    const leaving = new WebSocket(url);
    leaving.on('error', () => {});
    await waitFor(() => (arrived === 1 ? true : null), 'the upstream handshake');
    leaving.terminate();
    await waitFor(() => (abandoned === 1 ? true : null), 'the upstream handshake to be abandoned');
    const pending = refusal(connect(url));
    await waitFor(() => (arrived === 2 ? true : null), 'the second upstream handshake');
    realtime.drain();
    const refused = await pending;
    expect(refused.status).toBe(503);
    const late = await refusal(connect(url));
    expect(late.status).toBe(503);
  });
});
