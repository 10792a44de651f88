/**
 * POST /v1/completions (legacy text completions) and POST /v1/embeddings.
 * The simulator lets the chat models answer legacy completions too, so old
 * integrations have something to talk to in the demo.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimulatorContext } from './context.ts';
import { openaiError } from './errors.ts';
import { endStream, sendJson, startEventStream, writeEvent } from './http.ts';
import {
  missingParameter,
  prepareOpenAI,
  waitForWholeAnswer,
  type OpenAIEndpoint,
  type OpenAIExchange,
} from './openai-common.ts';
import { completionsPrompt, embeddingInputs } from './prompt-openai.ts';
import { isRecord, positiveInt } from './prompt.ts';
import { hashString, Rng } from './random.ts';
import { paceChunks, pause } from './timing.ts';

/** The legacy endpoint's documented default when max_tokens is omitted. */
const LEGACY_DEFAULT_MAX_TOKENS = 16;

const COMPLETIONS_ENDPOINT: OpenAIEndpoint = {
  path: 'v1/completions',
  kind: 'chat',
  validate: (body) => (body.prompt === undefined ? missingParameter('prompt') : undefined),
  prompt: completionsPrompt,
  maxTokens: (body) => positiveInt(body.max_tokens) ?? LEGACY_DEFAULT_MAX_TOKENS,
  effort: () => undefined,
};

const EMBEDDINGS_ENDPOINT: OpenAIEndpoint = {
  path: 'v1/embeddings',
  kind: 'embedding',
  validate: (body) => (embeddingInputs(body.input).length === 0 ? missingParameter('input') : undefined),
  prompt: (body) => {
    const segments = embeddingInputs(body.input);
    const tokens = segments.reduce((sum, part) => sum + part.tokens, 0);
    return { segments, tokens, tools: [], afterToolResult: false, toolChoice: 'none' };
  },
  maxTokens: () => undefined,
  effort: () => undefined,
};

function legacyUsage(exchange: OpenAIExchange) {
  const { prompt, plan } = exchange;
  return {
    prompt_tokens: prompt.tokens,
    completion_tokens: plan.outputTokens,
    total_tokens: prompt.tokens + plan.outputTokens,
  };
}

function legacyBase(exchange: OpenAIExchange) {
  return {
    id: `cmpl-${exchange.requestId.slice(4, 33)}`,
    object: 'text_completion',
    created: exchange.created,
    model: exchange.requested,
  };
}

function legacyChoice(text: string, finish: string | null) {
  return { text, index: 0, logprobs: null, finish_reason: finish };
}

async function streamLegacy(exchange: OpenAIExchange, includeUsage: boolean): Promise<void> {
  const { res, plan } = exchange;
  const base = legacyBase(exchange);
  startEventStream(res, exchange.headers);
  const counts = plan.pieces.length > 0 ? plan.pieces.map(() => 1) : [1];
  const finished = await paceChunks(counts, exchange.timing, exchange.signal, (index) => {
    const text = plan.pieces[index];
    if (text !== undefined) writeEvent(res, { ...base, choices: [legacyChoice(text, null)] });
  });
  if (!finished) return endStream(res);
  writeEvent(res, { ...base, choices: [legacyChoice('', plan.finish === 'length' ? 'length' : 'stop')] });
  if (includeUsage) writeEvent(res, { ...base, choices: [], usage: legacyUsage(exchange) });
  writeEvent(res, '[DONE]');
  endStream(res);
}

export async function handleCompletions(
  ctx: SimulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
): Promise<void> {
  const exchange = await prepareOpenAI(ctx, req, res, body, COMPLETIONS_ENDPOINT);
  if (!exchange || !isRecord(body)) return;
  if (body.stream === true) {
    const options = isRecord(body.stream_options) ? body.stream_options : {};
    return streamLegacy(exchange, options.include_usage === true);
  }
  if (!(await waitForWholeAnswer(exchange))) return;
  const finish = exchange.plan.finish === 'length' ? 'length' : 'stop';
  const reply = {
    ...legacyBase(exchange),
    choices: [legacyChoice(exchange.plan.text, finish)],
    usage: legacyUsage(exchange),
  };
  sendJson(res, 200, reply, exchange.headers);
}

/** A stable unit vector per text: the same passage always embeds to the same point. */
function embedVector(text: string, dimensions: number): Float32Array {
  const rng = new Rng(hashString(text));
  const vector = new Float32Array(dimensions);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    const value = rng.normal();
    vector[i] = value;
    norm += value * value;
  }
  const scale = 1 / Math.sqrt(norm || 1);
  return vector.map((value) => value * scale);
}

function encodeVector(vector: Float32Array, format: unknown): number[] | string {
  if (format === 'base64')
    return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64');
  return Array.from(vector);
}

export async function handleEmbeddings(
  ctx: SimulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
): Promise<void> {
  const exchange = await prepareOpenAI(ctx, req, res, body, EMBEDDINGS_ENDPOINT);
  if (!exchange || !isRecord(body)) return;
  const fullSize = exchange.model.embeddingDimensions ?? 1536;
  const dimensions = positiveInt(body.dimensions) ?? fullSize;
  if (dimensions > fullSize) {
    const reply = openaiError(
      400,
      `This model supports at most ${fullSize} dimensions.`,
      'invalid_request_error',
      null,
      'dimensions',
    );
    return sendJson(res, reply.status, reply.body, { 'x-request-id': exchange.requestId });
  }
  if (!(await pause(exchange.timing.firstTokenMs, exchange.signal))) return;
  const data = exchange.prompt.segments.map((part, index) => ({
    object: 'embedding',
    index,
    embedding: encodeVector(embedVector(part.text, dimensions), body.encoding_format),
  }));
  const usage = { prompt_tokens: exchange.prompt.tokens, total_tokens: exchange.prompt.tokens };
  sendJson(res, 200, { object: 'list', data, model: exchange.requested, usage }, exchange.headers);
}
