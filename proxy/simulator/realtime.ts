/**
 * The simulator's Realtime API: a WebSocket at /v1/realtime (and Azure's /openai/realtime and
 * /openai/v1/realtime) speaking OpenAI's realtime events with GA names (`conversation.item.added`,
 * `response.output_text.delta`; with `OpenAI-Beta: realtime=v1` the beta names
 * `conversation.item.created`, `response.text.delta`), realistic usage in `response.done`, and
 * the handshake checks a provider makes before it upgrades.
 */
import type { IncomingHttpHeaders, IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { SimulatorContext } from './context.ts';
import { RealtimeSimSession } from './realtime-session.ts';

/** Keys with this prefix are refused, so tests and demos can present a wrong key. */
export const INVALID_KEY_PREFIX = 'sk-invalid';
/** Apex's virtual keys: a real provider would not know them either, and they must never get here. */
const VIRTUAL_KEY_PREFIX = 'sk-apex-';
const KEY_PROTOCOL = 'openai-insecure-api-key.';
const PATHS = new Set(['/v1/realtime', '/openai/realtime', '/openai/v1/realtime']);
const DEFAULT_MODEL = 'gpt-realtime';

/** What the simulator saw of one handshake, for tests that check what a proxy sent upstream. */
export interface RealtimeHandshake {
  url: string;
  headers: IncomingHttpHeaders;
  protocols: string[];
}

export interface RealtimeSimulatorOptions {
  onHandshake?: (handshake: RealtimeHandshake) => void;
}

/** Adds the realtime endpoint to a simulator's HTTP server; sessions end when the simulator closes. */
export function attachRealtimeSimulator(
  server: Server,
  ctx: SimulatorContext,
  options: RealtimeSimulatorOptions = {},
): void {
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => (offered.has('realtime') ? 'realtime' : false),
  });
  const sessions = new Set<RealtimeSimSession>();
  ctx.closed.addEventListener('abort', () => {
    for (const session of sessions) session.end(1001, 'simulator shutting down');
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://simulator');
    const protocols = offeredProtocols(req.headers['sec-websocket-protocol']);
    options.onHandshake?.({ url: req.url ?? '/', headers: req.headers, protocols });
    if (!PATHS.has(url.pathname.replace(/\/+$/, ''))) {
      return refuse(socket, 404, 'invalid_request_error', `Invalid URL (GET ${url.pathname})`, null);
    }
    const keyProblem = checkKey(req.headers, protocols);
    if (keyProblem) return refuse(socket, 401, 'invalid_request_error', keyProblem, 'invalid_api_key');
    const model = url.searchParams.get('model') ?? url.searchParams.get('deployment') ?? DEFAULT_MODEL;
    const beta =
      /realtime=v1/.test(String(req.headers['openai-beta'] ?? '')) ||
      protocols.includes('openai-beta.realtime-v1');
    wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new RealtimeSimSession(ws, ctx, { model, beta });
      sessions.add(session);
      ws.once('close', () => sessions.delete(session));
    });
  });
}

function offeredProtocols(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean);
}

/** The key as OpenAI (Bearer), Azure (api-key) or a browser (subprotocol) sends it. */
function presentedKey(headers: IncomingHttpHeaders, protocols: readonly string[]): string | null {
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1]?.trim();
  if (bearer) return bearer;
  const apiKey = headers['api-key'];
  if (typeof apiKey === 'string' && apiKey.trim()) return apiKey.trim();
  const carried = protocols.find((value) => value.startsWith(KEY_PROTOCOL));
  return carried ? carried.slice(KEY_PROTOCOL.length) || null : null;
}

/** The simulator's rule: any key is good except a missing one, an sk-invalid… one or an Apex virtual key. */
function checkKey(headers: IncomingHttpHeaders, protocols: readonly string[]): string | null {
  const key = presentedKey(headers, protocols);
  if (key === null) {
    return "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";
  }
  if (key.startsWith(INVALID_KEY_PREFIX) || key.startsWith(VIRTUAL_KEY_PREFIX)) {
    return `Incorrect API key provided: ${key.slice(0, 3)}***${key.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`;
  }
  return null;
}

function refuse(socket: Duplex, status: number, type: string, message: string, code: string | null): void {
  const body = JSON.stringify({ error: { message, type, param: null, code } });
  const reason = status === 401 ? 'Unauthorized' : 'Not Found';
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\nconnection: close\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
