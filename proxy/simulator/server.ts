/**
 * The built-in simulated provider `apex serve` starts when there is no
 * config and no API keys: one HTTP server speaking both the OpenAI and the
 * Anthropic APIs at their real paths, with realistic token counts, latency,
 * prompt caching and occasional failures, so the demo shows believable,
 * correctly priced traffic.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleCountTokens, handleMessages } from './anthropic-messages.ts';
import { anthropicRequestId } from './anthropic-common.ts';
import { routeAnthropicBatches } from './batches-anthropic.ts';
import { routeOpenAIBatches } from './batches-openai.ts';
import { SimulatorContext } from './context.ts';
import { anthropicError, openaiError, type ErrorReply } from './errors.ts';
import { readJsonBody, sendJson } from './http.ts';
import { listModels, retrieveModel } from './models-list.ts';
import { handleChatCompletions } from './openai-chat.ts';
import { handleCompletions, handleEmbeddings } from './openai-legacy.ts';
import { handleResponses } from './openai-responses.ts';
import { randomSeed } from './random.ts';
import { attachRealtimeSimulator } from './realtime.ts';

export { FORCE_FAILURE_HEADER } from './errors.ts';
export { MODELS } from './models.ts';

export interface SimulatorOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Fixes every random choice; the same requests then get the same answers. */
  seed?: number;
  /** Share of requests (0..1) that fail with a rate limit, server error or overload. */
  errorRate?: number;
  /** Latency divisor: 1 is real time, tests use a large value to run fast. */
  speed?: number;
  /** How long a batch waits before its requests run, in real-time ms (divided by speed); default 2000. */
  batchDelayMs?: number;
}

export interface RunningSimulator {
  /** Origin, e.g. "http://127.0.0.1:54321". */
  url: string;
  close(): Promise<void>;
}

type Flavor = 'openai' | 'anthropic';
type PostHandler = (
  ctx: SimulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
) => Promise<void>;

const POST_ROUTES: Record<string, { flavor: Flavor; handle: PostHandler }> = {
  '/v1/chat/completions': { flavor: 'openai', handle: handleChatCompletions },
  '/v1/completions': { flavor: 'openai', handle: handleCompletions },
  '/v1/embeddings': { flavor: 'openai', handle: handleEmbeddings },
  '/v1/responses': { flavor: 'openai', handle: handleResponses },
  '/v1/messages': { flavor: 'anthropic', handle: handleMessages },
  '/v1/messages/count_tokens': {
    flavor: 'anthropic',
    handle: async (_ctx, _req, res, body) => handleCountTokens(res, body),
  },
};

function flavorOf(req: IncomingMessage, path: string): Flavor {
  return req.headers['anthropic-version'] !== undefined || path.startsWith('/v1/messages')
    ? 'anthropic'
    : 'openai';
}

function errorFor(ctx: SimulatorContext, flavor: Flavor, status: number, message: string): ErrorReply {
  if (flavor === 'openai')
    return openaiError(status, message, status >= 500 ? 'server_error' : 'invalid_request_error');
  const type = status === 404 ? 'not_found_error' : status >= 500 ? 'api_error' : 'invalid_request_error';
  return anthropicError(status, type, message, anthropicRequestId(ctx));
}

function reply(res: ServerResponse, error: ErrorReply): void {
  sendJson(res, error.status, error.body, error.headers);
}

async function handlePost(ctx: SimulatorContext, req: IncomingMessage, res: ServerResponse, path: string) {
  const route = POST_ROUTES[path];
  if (!route) return reply(res, errorFor(ctx, flavorOf(req, path), 404, `Invalid URL (POST ${path})`));
  const body = await readJsonBody(req);
  if (!body.ok) {
    const message =
      body.reason === 'too_large'
        ? 'Request body too large.'
        : 'We could not parse the JSON body of your request.';
    return reply(res, errorFor(ctx, route.flavor, body.reason === 'too_large' ? 413 : 400, message));
  }
  await route.handle(ctx, req, res, body.value);
}

function handleGet(ctx: SimulatorContext, req: IncomingMessage, res: ServerResponse, path: string): void {
  const flavor = flavorOf(req, path);
  if (path === '/v1/models') return listModels(res, flavor);
  if (path.startsWith('/v1/models/')) {
    const id = decodeURIComponent(path.slice('/v1/models/'.length));
    return retrieveModel(res, flavor, id, anthropicRequestId(ctx));
  }
  reply(res, errorFor(ctx, flavor, 404, `Invalid URL (GET ${path})`));
}

async function route(ctx: SimulatorContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://simulator').pathname.replace(/\/+$/, '');
  if ((await routeOpenAIBatches(ctx, req, res, path)) || (await routeAnthropicBatches(ctx, req, res, path)))
    return;
  if (req.method === 'POST') return handlePost(ctx, req, res, path);
  if (req.method === 'GET') return handleGet(ctx, req, res, path);
  reply(res, errorFor(ctx, flavorOf(req, path), 405, `Invalid method for URL (${req.method} ${path})`));
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

function originOf(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const { port = 0, host = '127.0.0.1', seed, errorRate = 0.02, speed = 1, batchDelayMs } = options;
  if (!(speed > 0)) throw new RangeError('speed must be greater than 0');
  if (!(errorRate >= 0 && errorRate <= 1)) throw new RangeError('errorRate must be between 0 and 1');
  if (batchDelayMs !== undefined && !(batchDelayMs >= 0)) throw new RangeError('batchDelayMs must be >= 0');
  const ctx = new SimulatorContext({
    seed: seed ?? randomSeed(),
    seeded: seed !== undefined,
    errorRate,
    speed,
    batchDelayMs,
  });
  const server = createServer((req, res) => {
    route(ctx, req, res).catch((error: unknown) => {
      // A simulator bug must look like a provider 500, never take the server down.
      const message = error instanceof Error ? error.message : String(error);
      if (!res.headersSent) reply(res, errorFor(ctx, flavorOf(req, req.url ?? ''), 500, message));
      else res.destroy();
    });
  });
  attachRealtimeSimulator(server, ctx);
  const address = await listen(server, port, host);
  ctx.origin = originOf(address);
  return {
    url: ctx.origin,
    close: () =>
      new Promise<void>((resolve) => {
        ctx.abortAll();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
