/**
 * The steps every Anthropic Messages request shares before rendering: checks
 * in Anthropic's error format, injected failures, breakpoint caching, the
 * generation plan and its timing, and Anthropic's response headers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnthropicCacheUsage } from './cache.ts';
import type { SimulatorContext } from './context.ts';
import { anthropicError, anthropicFailure, chooseFailure, type ErrorReply } from './errors.ts';
import { sendJson, type Headers } from './http.ts';
import { resolveModel, type ModelSpec } from './models.ts';
import { planGeneration, type GenerationPlan } from './plan.ts';
import { messagesPrompt } from './prompt-anthropic.ts';
import { isRecord, positiveInt, promptFingerprint, type PromptInfo } from './prompt.ts';
import { computeTiming, pause, type Timing } from './timing.ts';

export interface AnthropicExchange {
  res: ServerResponse;
  signal: AbortSignal;
  model: ModelSpec;
  requested: string;
  prompt: PromptInfo;
  cache: AnthropicCacheUsage;
  plan: GenerationPlan;
  timing: Timing;
  requestId: string;
  messageId: string;
  toolUseId: string;
  headers: Headers;
}

export function sendAnthropicError(res: ServerResponse, reply: ErrorReply): void {
  const body = reply.body as { request_id?: string };
  sendJson(res, reply.status, reply.body, { 'request-id': body.request_id ?? '', ...reply.headers });
}

function invalid(message: string, requestId: string): ErrorReply {
  return anthropicError(400, 'invalid_request_error', message, requestId);
}

function checkRequest(body: unknown, requestId: string): ErrorReply | undefined {
  if (!isRecord(body)) return invalid('Request body must be a JSON object.', requestId);
  if (typeof body.model !== 'string' || body.model === '') return invalid('model: Field required', requestId);
  if (!resolveModel(body.model, 'anthropic')) {
    return anthropicError(404, 'not_found_error', `model: ${body.model}`, requestId);
  }
  if (positiveInt(body.max_tokens) === undefined) return invalid('max_tokens: Field required', requestId);
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return invalid('messages: at least one message is required', requestId);
  }
  return undefined;
}

/** Anthropic request ids look like "req_011C..." followed by base62. */
export function anthropicRequestId(ctx: SimulatorContext): string {
  return `req_011C${ctx.rng.id(20)}`;
}

async function injectedFailure(
  ctx: SimulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  signal: AbortSignal,
  context: { model: ModelSpec; requestId: string; promptTokens: number },
): Promise<boolean> {
  const kind = chooseFailure(ctx.rng, ctx.settings.errorRate, req);
  if (!kind) return false;
  const retryAfter = ctx.rng.int(1, 8);
  const [low, high] = kind === 'rate_limit' ? [20, 80] : context.model.ttftMs;
  await pause(ctx.rng.uniform(low, high) / ctx.settings.speed, signal);
  const reply = anthropicFailure(kind, retryAfter, context.requestId);
  const limits = ctx.limits.anthropicHeaders(context.promptTokens, 0, kind === 'rate_limit');
  sendAnthropicError(res, { ...reply, headers: { ...limits, ...reply.headers } });
  return true;
}

export async function prepareAnthropic(
  ctx: SimulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
): Promise<AnthropicExchange | undefined> {
  const requestId = anthropicRequestId(ctx);
  const problem = checkRequest(body, requestId);
  if (problem || !isRecord(body))
    return void sendAnthropicError(res, problem ?? invalid('Invalid request', requestId));
  const requested = String(body.model);
  const model = resolveModel(requested, 'anthropic') as ModelSpec;
  const signal = ctx.requestSignal(res);
  const prompt = messagesPrompt(body);
  const failureContext = { model, requestId, promptTokens: prompt.tokens };
  if (await injectedFailure(ctx, req, res, signal, failureContext)) return undefined;
  const cache = ctx.cache.anthropicUsage(model, prompt.segments);
  const maxTokens = positiveInt(body.max_tokens);
  const contentRng = ctx.contentRng(model.id, promptFingerprint(prompt.segments), maxTokens);
  const plan = planGeneration(contentRng, { model, prompt, maxTokens, prefaceToolCalls: true });
  const speed = ctx.settings.speed;
  const timing = computeTiming(ctx.rng, {
    model,
    promptTokens: prompt.tokens,
    cachedTokens: cache.readTokens,
    reasoningTokens: 0,
    speed,
  });
  const headers = {
    'request-id': requestId,
    ...ctx.limits.anthropicHeaders(prompt.tokens, plan.outputTokens, false),
  };
  const messageId = `msg_01${ctx.rng.id(22)}`;
  const toolUseId = `toolu_01${ctx.rng.id(22)}`;
  return {
    res,
    signal,
    model,
    requested,
    prompt,
    cache,
    plan,
    timing,
    requestId,
    messageId,
    toolUseId,
    headers,
  };
}

/** input_tokens excludes everything read from or written to the cache. */
export function anthropicUsage(exchange: AnthropicExchange, outputTokens: number) {
  const { cache, prompt } = exchange;
  const written = cache.write5mTokens + cache.write1hTokens;
  return {
    input_tokens: prompt.tokens - cache.readTokens - written,
    cache_creation_input_tokens: written,
    cache_read_input_tokens: cache.readTokens,
    cache_creation: {
      ephemeral_5m_input_tokens: cache.write5mTokens,
      ephemeral_1h_input_tokens: cache.write1hTokens,
    },
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}
