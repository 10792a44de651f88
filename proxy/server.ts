import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ApiFlavor, HttpEndpoint, UsageSink } from '../contracts/usage.ts';
import { ApexError, sendError } from './http/errors.ts';
import { isAllowedHost } from './http/identity.ts';
import { forward, type Logger } from './forward/forward.ts';
import { modelsListBody } from './models-list.ts';
import type { ProxyMetrics } from './metrics.ts';
import type { ProxyRuntime } from './runtime.ts';
import type { OptimizerState } from './optimizers/state.ts';
import { DEFERRED_PATH } from './batch/accept.ts';
import type { DeferredCoordinator } from './batch/coordinator.ts';
import { deferredMetrics, type DeferredStore } from './batch/deferred-store.ts';
import { sendDeferredResult } from './batch/results-route.ts';
import type { KeyAccess } from './keys/access.ts';
import { attachRealtime } from './realtime/gateway.ts';

export interface ProxyServerOptions {
  /** Read on every request so a config reload applies to the next one. */
  runtime: () => ProxyRuntime;
  sink: UsageSink;
  metrics: ProxyMetrics;
  logger: Logger;
  /** Extra Prometheus text appended to /metrics (e.g. the usage writer's gauges). */
  extraMetrics?: () => string;
  optimizers: OptimizerState;
  deferred: DeferredCoordinator;
  deferredStore: DeferredStore;
  keyAccess: KeyAccess;
  clock?: () => number;
}

const MODEL_ENDPOINTS = new Map<string, { api: ApiFlavor; endpoint: HttpEndpoint }>();
for (const prefix of ['/v1', '']) {
  MODEL_ENDPOINTS.set(`${prefix}/chat/completions`, { api: 'openai', endpoint: 'chat' });
  MODEL_ENDPOINTS.set(`${prefix}/completions`, { api: 'openai', endpoint: 'completions' });
  MODEL_ENDPOINTS.set(`${prefix}/embeddings`, { api: 'openai', endpoint: 'embeddings' });
  MODEL_ENDPOINTS.set(`${prefix}/responses`, { api: 'openai', endpoint: 'responses' });
  MODEL_ENDPOINTS.set(`${prefix}/messages`, { api: 'anthropic', endpoint: 'messages' });
}

export function createProxyServer(options: ProxyServerOptions): Server {
  const server = createServer(
    { keepAliveTimeout: 65_000, headersTimeout: 60_000, noDelay: true },
    (req, res) => {
      dispatch(req, res, options).catch((error: unknown) => {
        options.logger.error({ err: error }, 'request handler failed');
        if (!res.headersSent) sendError(res, 'openai', new ApexError('internal', 'internal error'), 'none');
        else res.destroy();
      });
    },
  );
  // Idle keep-alive sockets must not hold a shutdown open.
  server.on('close', () => server.closeIdleConnections());
  // Realtime API sessions arrive as WebSocket upgrades, which never reach the request handler.
  attachRealtime(server, options);
  return server;
}

async function dispatch(
  req: IncomingMessage,
  res: ServerResponse,
  options: ProxyServerOptions,
): Promise<void> {
  const runtime = options.runtime();
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const api: ApiFlavor =
    path.endsWith('/messages') || req.headers['anthropic-version'] ? 'anthropic' : 'openai';
  if (!isAllowedHost(req.headers.host, runtime.allowedHosts)) {
    const message = `Host "${req.headers.host ?? ''}" is not allowed; add it to server.allowedHosts to serve it`;
    return sendError(res, api, new ApexError('unauthorized_host', message), 'none');
  }
  const route = MODEL_ENDPOINTS.get(path);
  if (route) {
    if (req.method !== 'POST') return sendError(res, api, methodNotAllowed(req, path), 'none');
    const query = queryAt === -1 ? '' : url.slice(queryAt);
    return forward(req, res, { ...route, query }, { ...options, runtime });
  }
  if (req.method === 'GET' && path.startsWith(DEFERRED_PATH))
    return sendDeferredResult(req, res, path, options.deferredStore);
  if (req.method === 'GET' && path === '/healthz')
    return sendJson(res, 200, JSON.stringify({ status: 'ok' }));
  if (req.method === 'GET' && path === '/metrics') return sendMetrics(res, options);
  if (req.method === 'GET' && (path === '/v1/models' || path === '/models')) {
    return sendJson(res, 200, modelsListBody(runtime, api));
  }
  return sendError(res, api, new ApexError('not_found', `no such endpoint: ${req.method} ${path}`), 'none');
}

function methodNotAllowed(req: IncomingMessage, path: string): ApexError {
  return new ApexError('method_not_allowed', `${req.method} is not supported on ${path}; use POST`);
}

function sendJson(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function sendMetrics(res: ServerResponse, options: ProxyServerOptions): Promise<void> {
  const { contentType, body } = await options.metrics.render();
  const text = body + deferredMetrics(options.deferredStore) + (options.extraMetrics?.() ?? '');
  res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
