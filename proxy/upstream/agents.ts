import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { ProviderConfig } from '../config/schema.ts';

/**
 * Lets the caller abandon a request (its client went away). A plain record
 * rather than an AbortSignal (whose listeners showed up in the hot path's
 * profile), holding the request itself rather than a closure over it: in
 * bench/proxy such a closure kept each request's scope alive long enough to
 * be promoted, and full GCs at 2,000 req/s went from 1 to 8 in six seconds.
 */
export interface Cancellation {
  cancelled: boolean;
  /** The call in flight: an HTTP request, or anything else a target can tear down (Bedrock's SDK call). */
  request: { destroy(error?: Error): unknown } | null;
  /** Whatever else must stop when the client goes (a wait before a retry). */
  onCancel?: (() => void) | null;
}

export function cancelUpstream(cancellation: Cancellation): void {
  cancellation.cancelled = true;
  cancellation.request?.destroy(new CancelledError('the client closed the connection'));
  cancellation.onCancel?.();
}

export class CancelledError extends Error {
  readonly code = 'APEX_CANCELLED';
}

export interface UpstreamRequest {
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  cancellation: Cancellation;
}

/** A provider's keep-alive connections and the path prefix its API lives under. */
export interface UpstreamTarget {
  origin: string;
  /** e.g. "/v1" for https://api.openai.com/v1, "" for https://api.anthropic.com. */
  basePath: string;
  /** Resolves with the response once its headers arrive; the body streams afterwards. */
  send(request: UpstreamRequest): Promise<IncomingMessage>;
}

/** Raised when an upstream cannot be connected to, or falls silent, within the configured time. */
export class UpstreamTimeoutError extends Error {
  readonly code = 'APEX_UPSTREAM_TIMEOUT';
}

type Agent = HttpAgent | HttpsAgent;

/**
 * One keep-alive agent per distinct upstream, reused across requests and across
 * config reloads that leave a provider unchanged. Node's own agents are used
 * rather than undici: in bench/proxy they gave the same throughput with a far
 * shorter latency tail at moderate load, and no second HTTP stack in memory.
 */
export class UpstreamAgents {
  private readonly agents = new Map<string, Agent>();

  target(provider: ProviderConfig): UpstreamTarget {
    const url = new URL(provider.baseUrl);
    const key = agentKey(provider);
    let agent = this.agents.get(key);
    if (!agent) {
      agent = createAgent(url, provider);
      this.agents.set(key, agent);
    }
    return {
      origin: url.origin,
      basePath: url.pathname === '/' ? '' : url.pathname,
      send: (request) => send(url, agent, provider, request),
    };
  }

  /** Retires agents no provider uses any more, once their requests in flight have finished. */
  retainOnly(providers: Iterable<ProviderConfig>): void {
    const keep = new Set([...providers].map(agentKey));
    for (const [key, agent] of this.agents) {
      if (keep.has(key)) continue;
      this.agents.delete(key);
      destroyWhenIdle(agent);
    }
  }

  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}

function agentKey(provider: ProviderConfig): string {
  const { baseUrl, connections, connectTimeoutMs, idleTimeoutMs } = provider;
  return `${new URL(baseUrl).origin}|${connections}|${connectTimeoutMs}|${idleTimeoutMs}`;
}

function createAgent(url: URL, provider: ProviderConfig): Agent {
  // `timeout` applies to idle pooled sockets; a request in flight sets its own below.
  const options = {
    keepAlive: true,
    maxSockets: provider.connections,
    scheduling: 'lifo' as const,
    timeout: 30_000,
  };
  return url.protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options);
}

function destroyWhenIdle(agent: Agent): void {
  const idle = (): boolean => Object.values(agent.sockets).every((list) => !list || list.length === 0);
  if (idle()) return agent.destroy();
  agent.on('free', () => {
    if (idle()) agent.destroy();
  });
}

function send(
  url: URL,
  agent: Agent,
  provider: ProviderConfig,
  upstream: UpstreamRequest,
): Promise<IncomingMessage> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    if (upstream.cancellation.cancelled)
      return reject(new CancelledError('the client closed the connection'));
    const req = request(
      {
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port,
        path: upstream.path,
        method: 'POST',
        headers: upstream.headers,
        agent,
      },
      resolve,
    );
    upstream.cancellation.request = req;
    req.setTimeout(provider.idleTimeoutMs, () =>
      req.destroy(new UpstreamTimeoutError(`no data for ${provider.idleTimeoutMs} ms`)),
    );
    req.once('socket', (socket) => {
      if (!socket.connecting) return;
      const timer = setTimeout(
        () =>
          req.destroy(new UpstreamTimeoutError(`connect timed out after ${provider.connectTimeoutMs} ms`)),
        provider.connectTimeoutMs,
      );
      socket.once('connect', () => clearTimeout(timer));
      socket.once('close', () => clearTimeout(timer));
    });
    req.on('error', reject);
    req.end(upstream.body);
  });
}
