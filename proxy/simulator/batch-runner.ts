/**
 * What both providers' batch APIs share: routing by path pattern, the wait
 * before a batch runs, and running each request through the simulator's own
 * HTTP endpoints, so a batched answer (text, usage, failures) is exactly what
 * the synchronous API would have given.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimulatorContext } from './context.ts';
import { anthropicError, openaiError } from './errors.ts';
import type { Headers } from './http.ts';

/** Real-time wait before a batch's requests run; real batches take minutes to hours. */
export const DEFAULT_BATCH_DELAY_MS = 2000;

/** A few requests at a time, as a provider's batch workers pace themselves against the live API. */
const CONCURRENCY = 4;

export type BatchHandler = (
  ctx: SimulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
) => Promise<void> | void;

export interface BatchRoute {
  method: 'GET' | 'POST';
  pattern: RegExp;
  handle: BatchHandler;
}

/**
 * Answers the request with the route it matches (the pattern's first group, if any, is the object
 * id); false when none does, leaving it to the simulator's other routes.
 */
export async function dispatchRoute(
  routes: readonly BatchRoute[],
  ctx: SimulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<boolean> {
  for (const route of routes) {
    const match = route.method === req.method ? route.pattern.exec(path) : null;
    if (!match) continue;
    await route.handle(ctx, req, res, decodeURIComponent(match[1] ?? ''));
    return true;
  }
  return false;
}

export function batchDelayMs(ctx: SimulatorContext): number {
  return (ctx.settings.batchDelayMs ?? DEFAULT_BATCH_DELAY_MS) / ctx.settings.speed;
}

/** The caller's credentials and test headers, replayed on every request the batch runs. */
export function forwardedHeaders(req: IncomingMessage, names: readonly string[]): Headers {
  const headers: Headers = {};
  for (const name of names) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

/** The simulator's own origin; a wildcard bind address is not somewhere to send requests, its loopback is. */
export function ownOrigin(ctx: SimulatorContext): string {
  return ctx.origin.replace('//0.0.0.0:', '//127.0.0.1:').replace('//[::]:', '//[::1]:');
}

export interface CallResult {
  status: number;
  body: unknown;
  requestId: string;
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** POSTs one batched request to the simulator's own endpoint, streaming forced off. */
export async function callOwnEndpoint(
  ctx: SimulatorContext,
  flavor: 'openai' | 'anthropic',
  path: string,
  body: Record<string, unknown>,
  headers: Headers,
): Promise<CallResult> {
  try {
    const response = await fetch(`${ownOrigin(ctx)}${path}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, stream: false }),
      signal: ctx.closed,
    });
    const requestId = response.headers.get('x-request-id') ?? response.headers.get('request-id') ?? '';
    return { status: response.status, body: parseBody(await response.text()), requestId };
  } catch (error) {
    // Only reachable when the simulator itself is going away; report it as the provider would a 500.
    const message = error instanceof Error ? error.message : String(error);
    const reply =
      flavor === 'openai'
        ? openaiError(500, message, 'server_error')
        : anthropicError(500, 'api_error', message, '');
    return { status: 500, body: reply.body, requestId: '' };
  }
}

/** Runs `work` over the items a few at a time; stops taking new items once `stop()` says so. */
export async function runPool<T>(
  items: readonly T[],
  work: (item: T, index: number) => Promise<void>,
  stop: () => boolean,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length && !stop()) {
      const index = next++;
      await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, lane));
}

/**
 * State a simulator feature keeps per simulator instance (files, batches), dropped with it: each
 * instance is independent, as two accounts at a provider are.
 */
export function perSimulator<T>(): (ctx: SimulatorContext) => Map<string, T> {
  const maps = new WeakMap<SimulatorContext, Map<string, T>>();
  return (ctx) => {
    let map = maps.get(ctx);
    if (!map) maps.set(ctx, (map = new Map()));
    return map;
  };
}
