// Shared pieces of the realtime suites: a proxy in front of the simulator's realtime endpoint (on a
// server of the test's own, so the test can see every handshake that reached the "provider"), and a
// WebSocket client that records what it receives.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import type { UsageEvent } from '../../contracts/usage.ts';
import { parseConfigText } from '../../proxy/config/load.ts';
import { startProxy, type RunningProxy } from '../../proxy/index.ts';
import { SimulatorContext } from '../../proxy/simulator/context.ts';
import { attachRealtimeSimulator, type RealtimeHandshake } from '../../proxy/simulator/realtime.ts';

export const UPSTREAM_KEY = 'sk-upstream-realtime-secret';

export interface ObservedUpstream {
  url: string;
  handshakes: RealtimeHandshake[];
  close(): Promise<void>;
}

/** The simulator's realtime endpoint, recording each handshake it receives. */
export async function startObservedSimulator(speed = 1000): Promise<ObservedUpstream> {
  const server = createServer();
  const ctx = new SimulatorContext({ seed: 42, seeded: true, errorRate: 0, speed });
  const handshakes: RealtimeHandshake[] = [];
  attachRealtimeSimulator(server, ctx, { onHandshake: (handshake) => handshakes.push(handshake) });
  const url = await listen(server);
  return {
    url,
    handshakes,
    close: async () => {
      ctx.abortAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export interface Rig {
  proxy: RunningProxy;
  events: UsageEvent[];
  logged: string[];
  waitForEvents(count: number): Promise<UsageEvent[]>;
  close(): Promise<void>;
}

/** A proxy whose providers all point at `upstreamUrl`; `config` may replace the default routes. */
export async function startRig(upstreamUrl: string, config?: object): Promise<Rig> {
  const defaults = {
    providers: {
      openai: { kind: 'openai', baseUrl: `${upstreamUrl}/v1`, apiKey: UPSTREAM_KEY },
      // No key: the caller's own key passes through.
      passthrough: { kind: 'openai', baseUrl: `${upstreamUrl}/v1` },
      anthropic: { kind: 'anthropic', baseUrl: upstreamUrl, apiKey: 'sk-ant-x' },
    },
    models: [
      { name: 'gpt-realtime', provider: 'openai' },
      { name: 'voice', provider: 'openai', model: 'gpt-realtime-mini', project: 'voice-app' },
      { name: 'own-key-realtime', provider: 'passthrough', model: 'gpt-realtime' },
      { name: 'claude-voice', provider: 'anthropic', model: 'claude-sonnet-4-5' },
    ],
  };
  const parsed = parseConfigText(JSON.stringify(config ?? defaults), 'realtime.json');
  const events: UsageEvent[] = [];
  const logged: string[] = [];
  const proxy = await startProxy({
    config: parsed,
    port: 0,
    sink: { record: (event) => events.push(event) },
    logger: { warn: (_d, message) => logged.push(message), error: (_d, message) => logged.push(message) },
  });
  return {
    proxy,
    events,
    logged,
    waitForEvents: (count) =>
      waitFor(() => (events.length >= count ? events : null), `${count} usage events`),
    close: () => proxy.close(100),
  };
}

export async function waitFor<T>(probe: () => T | null | undefined, what: string, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** /metrics once it shows `expected` (the gauge drops when the proxy sees both sides closed). */
export async function metricsWhen(url: string, expected: string): Promise<string> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const text = await (await fetch(`${url}/metrics`)).text();
    if (text.includes(expected) || Date.now() > deadline) return text;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export type ServerEvent = { type: string; [field: string]: unknown };

export interface Client {
  ws: WebSocket;
  /** Text frames as parsed JSON, in arrival order. */
  events: ServerEvent[];
  binary: Buffer[];
  /** The headers of the 101 answer. */
  upgradeHeaders: IncomingHttpHeaders;
  closed: Promise<{ code: number; reason: string }>;
  send(event: object): void;
  /** Resolves with the first event of that type at or after index `from`. */
  next(type: string, from?: number): Promise<ServerEvent>;
}

export function wsUrl(httpUrl: string, path: string): string {
  return httpUrl.replace(/^http/, 'ws') + path;
}

/** Connects and resolves once open; rejects with the HTTP refusal if the handshake is refused. */
export function connect(
  url: string,
  options: { headers?: Record<string, string>; protocols?: string[]; autoPong?: boolean } = {},
): Promise<Client> {
  const ws = new WebSocket(url, options.protocols ?? [], {
    headers: options.headers,
    ...(options.autoPong === undefined ? {} : { autoPong: options.autoPong }),
  });
  const events: ServerEvent[] = [];
  const binary: Buffer[] = [];
  ws.on('message', (data: Buffer, isBinary) => {
    if (isBinary) binary.push(data);
    else events.push(parseEvent(data.toString('utf8')));
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const client: Client = {
    ws,
    events,
    binary,
    upgradeHeaders: {},
    closed,
    send: (event) => ws.send(JSON.stringify(event)),
    next: (type, from = 0) => waitFor(() => events.slice(from).find((e) => e.type === type), type),
  };
  ws.once('upgrade', (response) => (client.upgradeHeaders = response.headers));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        ws.terminate();
        reject(new Refused(res.statusCode ?? 0, res.headers, Buffer.concat(chunks).toString('utf8')));
      });
    });
    ws.once('error', reject);
  });
}

/** Text frames that are not JSON objects are kept as `{ type: '', raw }`. */
function parseEvent(text: string): ServerEvent {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object') return value as ServerEvent;
  } catch {
    // kept raw below
  }
  return { type: '', raw: text };
}

export class Refused extends Error {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;

  constructor(status: number, headers: IncomingHttpHeaders, body: string) {
    super(`refused with ${status}: ${body}`);
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  json(): { error: { message: string; type: string; code: string | null } } {
    return JSON.parse(this.body) as { error: { message: string; type: string; code: string | null } };
  }
}

/** The handshake's refusal; fails the test when the handshake succeeds. */
export async function refusal(promise: Promise<Client>): Promise<Refused> {
  try {
    const client = await promise;
    client.ws.terminate();
  } catch (error) {
    if (error instanceof Refused) return error;
    throw error;
  }
  throw new Error('expected the handshake to be refused');
}

/** Asks for one text answer and resolves with the events from response.created to response.done. */
export async function ask(client: Client, text: string, response: object = {}): Promise<ServerEvent[]> {
  const from = client.events.length;
  client.send({
    type: 'conversation.item.create',
    item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] },
  });
  client.send({ type: 'response.create', response });
  await client.next('response.done', from);
  const events = client.events.slice(from);
  return events.slice(events.findIndex((e) => e.type === 'response.created'));
}

/** A bare WebSocket "provider" the test scripts, for relay behaviour the simulator has no reason to show. */
export interface ScriptedUpstream {
  url: string;
  sockets: WebSocket[];
  handshakes: Array<{ url: string; headers: IncomingHttpHeaders }>;
  /** Close frames the upstream received. */
  closes: Array<{ code: number; reason: string }>;
  close(): Promise<void>;
}

export async function startScriptedUpstream(
  onConnection: (socket: WebSocket) => void = () => {},
  verify?: (headers: IncomingHttpHeaders) => { status: number; body: string } | null,
): Promise<ScriptedUpstream> {
  const server = createServer();
  const wss = new WebSocketServer({ noServer: true });
  const upstream: ScriptedUpstream = {
    url: '',
    sockets: [],
    handshakes: [],
    closes: [],
    close: async () => {
      for (const socket of upstream.sockets) socket.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  server.on('upgrade', (req, socket, head) => {
    upstream.handshakes.push({ url: req.url ?? '', headers: req.headers });
    const refusal = verify?.(req.headers);
    if (refusal) {
      socket.end(
        `HTTP/1.1 ${refusal.status} Refused\r\ncontent-type: application/json\r\nx-upstream: yes\r\n` +
          `content-length: ${Buffer.byteLength(refusal.body)}\r\nconnection: close\r\n\r\n${refusal.body}`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      upstream.sockets.push(ws);
      ws.on('close', (code, reason) => upstream.closes.push({ code, reason: reason.toString() }));
      onConnection(ws);
    });
  });
  upstream.url = await listen(server);
  return upstream;
}
