import type { ClientRequest, IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import type { Deployment } from '../router.ts';
import { readUpstreamRefusal, type HttpReply } from './http-reply.ts';

/** Query parameters that name the model; Apex replaces them with the deployment's own name. */
const MODEL_PARAMS = ['model', 'deployment'];

/**
 * The provider's realtime endpoint. OpenAI and OpenAI-compatible servers: `{baseUrl}/realtime?model=`.
 * Azure (learn.microsoft.com, "Use the GPT Realtime API via WebSockets"): the GA v1 API at
 * `/openai/v1/realtime?model=<deployment>`, or with a dated preview api-version
 * `/openai/realtime?api-version=<version>&deployment=<deployment>`. The client's api-version wins
 * over the configured one; Azure's dated GA HTTP versions have no realtime, so without a preview
 * version (or with "v1") the v1 path is used. Other client parameters (intent, call_id) pass through.
 */
export function upstreamUrl(deployment: Deployment, clientQuery: URLSearchParams): string {
  const { provider, upstreamModel } = deployment;
  const params = new URLSearchParams(clientQuery);
  for (const name of MODEL_PARAMS) params.delete(name);
  let url: URL;
  if (provider.kind === 'azure') {
    const version = params.get('api-version') ?? provider.apiVersion;
    params.delete('api-version');
    if (version && version !== 'v1') {
      url = new URL(`${provider.baseUrl}/openai/realtime`);
      url.searchParams.set('api-version', version);
      url.searchParams.set('deployment', upstreamModel);
    } else {
      url = new URL(`${provider.baseUrl}/openai/v1/realtime`);
      url.searchParams.set('model', upstreamModel);
    }
  } else {
    url = new URL(`${provider.baseUrl}/realtime`);
    url.searchParams.set('model', upstreamModel);
  }
  for (const [name, value] of params) url.searchParams.append(name, value);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

export type UpstreamOutcome =
  | { kind: 'open'; socket: WebSocket }
  /** The provider answered the handshake with an HTTP error: relayed to the client as it is. */
  | { kind: 'refused'; reply: HttpReply }
  | { kind: 'failed'; error: Error };

export interface UpstreamConnection {
  outcome: Promise<UpstreamOutcome>;
  /** Abandons the handshake (the client went away first). */
  abort(): void;
}

export interface ConnectOptions {
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  requestId: string;
}

/**
 * Opens the provider's WebSocket. Per-message compression is not offered: frames are relayed as
 * they are, and deflating audio twice per hop would cost CPU on the hot path for little gain.
 */
export function connectUpstream(options: ConnectOptions): UpstreamConnection {
  let socket: WebSocket;
  try {
    socket = new WebSocket(options.url, {
      headers: options.headers,
      handshakeTimeout: options.timeoutMs,
      perMessageDeflate: false,
      followRedirects: false,
    });
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    return { outcome: Promise.resolve({ kind: 'failed', error: failure }), abort: () => {} };
  }
  const outcome = new Promise<UpstreamOutcome>((resolve) => {
    let settled = false;
    const settle = (result: UpstreamOutcome): void => {
      if (!settled) resolve(result);
      settled = true;
    };
    socket.once('open', () => {
      // The provider may speak first (session.created), even in the handshake's own packet: nothing
      // may be read before the session's relay listens, so the socket waits paused until then.
      socket.pause();
      settle({ kind: 'open', socket });
    });
    socket.once('unexpected-response', (_request: ClientRequest, response: IncomingMessage) => {
      void readUpstreamRefusal(response, options.requestId).then((reply) => {
        settle({ kind: 'refused', reply });
        socket.terminate();
      });
    });
    // Stays attached until a session takes the socket over: an error must never go unhandled.
    socket.on('error', (error) => settle({ kind: 'failed', error }));
  });
  return { outcome, abort: () => socket.terminate() };
}
