/**
 * The steps every OpenAI endpoint shares before it renders anything: body
 * and model checks, injected failures, cache lookup, the generation plan and
 * its timing, and the response headers OpenAI sends.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimulatorContext } from './context.ts';
import { chooseFailure, openaiError, openaiFailure, type ErrorReply } from './errors.ts';
import { sendJson, type Headers } from './http.ts';
import { resolveModel, type ModelSpec } from './models.ts';
import { planGeneration, type GenerationPlan, type ReasoningEffort } from './plan.ts';
import { isRecord, promptFingerprint, type PromptInfo } from './prompt.ts';
import { computeTiming, pause, type Timing } from './timing.ts';

export interface OpenAIExchange {
  res: ServerResponse;
  signal: AbortSignal;
  model: ModelSpec;
  /** Echoed back as `model`, the way the caller spelled it. */
  requested: string;
  prompt: PromptInfo;
  cachedTokens: number;
  plan: GenerationPlan;
  timing: Timing;
  requestId: string;
  created: number;
  headers: Headers;
}

export interface OpenAIEndpoint {
  /** The path as OpenAI names it in messages, e.g. "v1/chat/completions". */
  path: string;
  kind: ModelSpec['kind'];
  validate(body: Record<string, unknown>): ErrorReply | undefined;
  prompt(body: Record<string, unknown>): PromptInfo;
  maxTokens(body: Record<string, unknown>): number | undefined;
  effort(body: Record<string, unknown>): ReasoningEffort | undefined;
}

export function sendOpenAIError(res: ServerResponse, reply: ErrorReply, requestId: string): void {
  sendJson(res, reply.status, reply.body, { 'x-request-id': requestId, ...reply.headers });
}

export function missingParameter(name: string): ErrorReply {
  return openaiError(
    400,
    `Missing required parameter: '${name}'.`,
    'invalid_request_error',
    'missing_required_parameter',
    name,
  );
}

function modelProblem(requested: unknown, endpoint: OpenAIEndpoint): ErrorReply | undefined {
  if (typeof requested !== 'string' || requested === '') return missingParameter('model');
  const model = resolveModel(requested, 'openai');
  if (!model) {
    const message = `The model \`${requested}\` does not exist or you do not have access to it.`;
    return openaiError(404, message, 'invalid_request_error', 'model_not_found');
  }
  if (model.kind !== endpoint.kind) {
    const message = `This model is not supported in the ${endpoint.path} endpoint.`;
    return openaiError(404, message, 'invalid_request_error', null, 'model');
  }
  return undefined;
}

function checkRequest(body: unknown, endpoint: OpenAIEndpoint): ErrorReply | undefined {
  if (!isRecord(body))
    return openaiError(400, 'The request body must be a JSON object.', 'invalid_request_error');
  return modelProblem(body.model, endpoint) ?? endpoint.validate(body);
}

async function injectedFailure(
  ctx: SimulatorContext,
  req: IncomingMessage,
  exchange: Pick<OpenAIExchange, 'res' | 'signal' | 'model' | 'requested' | 'requestId'>,
  promptTokens: number,
): Promise<boolean> {
  const kind = chooseFailure(ctx.rng, ctx.settings.errorRate, req);
  if (!kind) return false;
  const retryAfter = ctx.rng.int(1, 8);
  const [low, high] = kind === 'rate_limit' ? [20, 80] : exchange.model.ttftMs;
  await pause(ctx.rng.uniform(low, high) / ctx.settings.speed, exchange.signal);
  const reply = openaiFailure(kind, exchange.requested, retryAfter, promptTokens);
  const limits = ctx.limits.openaiHeaders(promptTokens, kind === 'rate_limit');
  sendOpenAIError(exchange.res, { ...reply, headers: { ...limits, ...reply.headers } }, exchange.requestId);
  return true;
}

/** Checks the request and injects failures; answers and returns undefined when it cannot proceed. */
export async function prepareOpenAI(
  ctx: SimulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  endpoint: OpenAIEndpoint,
): Promise<OpenAIExchange | undefined> {
  const requestId = `req_${ctx.rng.hex(32)}`;
  const problem = checkRequest(body, endpoint);
  if (problem || !isRecord(body))
    return void sendOpenAIError(res, problem ?? missingParameter('model'), requestId);
  const requested = String(body.model);
  const model = resolveModel(requested, 'openai') as ModelSpec;
  const signal = ctx.requestSignal(res);
  const prompt = endpoint.prompt(body);
  const start = { res, signal, model, requested, requestId };
  if (await injectedFailure(ctx, req, start, prompt.tokens)) return undefined;
  return generate(ctx, body, endpoint, { ...start, prompt });
}

function generate(
  ctx: SimulatorContext,
  body: Record<string, unknown>,
  endpoint: OpenAIEndpoint,
  start: Pick<OpenAIExchange, 'res' | 'signal' | 'model' | 'requested' | 'requestId' | 'prompt'>,
): OpenAIExchange {
  const { model, prompt } = start;
  const cachedTokens = ctx.cache.openaiCachedTokens(model, prompt.segments);
  const maxTokens = endpoint.maxTokens(body);
  const contentRng = ctx.contentRng(model.id, promptFingerprint(prompt.segments), maxTokens);
  const effort = endpoint.effort(body);
  const plan = planGeneration(contentRng, { model, prompt, maxTokens, effort, prefaceToolCalls: false });
  const timing = computeTiming(ctx.rng, {
    model,
    promptTokens: prompt.tokens,
    cachedTokens,
    reasoningTokens: plan.reasoningTokens,
    speed: ctx.settings.speed,
  });
  const headers = {
    'x-request-id': start.requestId,
    'openai-version': '2020-10-01',
    'openai-processing-ms': String(Math.round(timing.firstTokenMs + plan.outputTokens * timing.perTokenMs)),
    ...ctx.limits.openaiHeaders(prompt.tokens + plan.outputTokens, false),
  };
  return { ...start, cachedTokens, plan, timing, created: Math.floor(Date.now() / 1000), headers };
}

/** Non-streamed answers arrive all at once, after the whole generation time. */
export async function waitForWholeAnswer(exchange: OpenAIExchange): Promise<boolean> {
  const { timing, plan, signal } = exchange;
  const visibleTokens = plan.outputTokens - plan.reasoningTokens;
  return pause(timing.firstTokenMs + Math.max(0, visibleTokens - 1) * timing.perTokenMs, signal);
}

export function asEffort(value: unknown): ReasoningEffort | undefined {
  return value === 'minimal' || value === 'low' || value === 'medium' || value === 'high' ? value : undefined;
}
