/** POST /v1/chat/completions: the chat.completion object and its chat.completion.chunk stream. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimulatorContext } from './context.ts';
import { endStream, sendJson, startEventStream, writeEvent } from './http.ts';
import {
  asEffort,
  missingParameter,
  prepareOpenAI,
  waitForWholeAnswer,
  type OpenAIEndpoint,
  type OpenAIExchange,
} from './openai-common.ts';
import { chatPrompt } from './prompt-openai.ts';
import { isRecord, positiveInt } from './prompt.ts';
import type { FinishReason } from './plan.ts';
import { argumentFragments } from './steps.ts';
import { paceChunks } from './timing.ts';

const CHAT_ENDPOINT: OpenAIEndpoint = {
  path: 'v1/chat/completions',
  kind: 'chat',
  validate: (body) =>
    Array.isArray(body.messages) && body.messages.length > 0 ? undefined : missingParameter('messages'),
  prompt: chatPrompt,
  maxTokens: (body) => positiveInt(body.max_completion_tokens) ?? positiveInt(body.max_tokens),
  effort: (body) => asEffort(body.reasoning_effort),
};

const FINISH: Record<FinishReason, string> = { stop: 'stop', length: 'length', tool: 'tool_calls' };

export function chatUsage(exchange: OpenAIExchange) {
  const { prompt, plan, cachedTokens } = exchange;
  return {
    prompt_tokens: prompt.tokens,
    completion_tokens: plan.outputTokens,
    total_tokens: prompt.tokens + plan.outputTokens,
    prompt_tokens_details: { cached_tokens: cachedTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: plan.reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function fingerprint(exchange: OpenAIExchange): string {
  return `fp_${exchange.model.id.length.toString(16)}${exchange.requestId.slice(4, 12)}`;
}

function toolCallId(exchange: OpenAIExchange): string {
  return `call_${exchange.requestId.slice(4, 28)}`;
}

function completionMessage(exchange: OpenAIExchange) {
  const { plan } = exchange;
  const toolCalls = plan.toolCall
    ? [
        {
          id: toolCallId(exchange),
          type: 'function',
          function: { name: plan.toolCall.name, arguments: plan.toolCall.arguments },
        },
      ]
    : undefined;
  return {
    role: 'assistant',
    content: toolCalls && plan.text === '' ? null : plan.text,
    refusal: null,
    annotations: [],
    ...(toolCalls ? { tool_calls: toolCalls } : {}),
  };
}

async function sendCompletion(exchange: OpenAIExchange): Promise<void> {
  if (!(await waitForWholeAnswer(exchange))) return;
  const body = {
    id: `chatcmpl-${exchange.requestId.slice(4, 33)}`,
    object: 'chat.completion',
    created: exchange.created,
    model: exchange.requested,
    choices: [
      {
        index: 0,
        message: completionMessage(exchange),
        logprobs: null,
        finish_reason: FINISH[exchange.plan.finish],
      },
    ],
    usage: chatUsage(exchange),
    service_tier: 'default',
    system_fingerprint: fingerprint(exchange),
  };
  sendJson(exchange.res, 200, body, exchange.headers);
}

interface Delta {
  delta: Record<string, unknown>;
  tokens: number;
}

/** The content (or tool-call) deltas in stream order, each with the tokens it carries. */
function streamDeltas(exchange: OpenAIExchange): Delta[] {
  const { plan } = exchange;
  // OpenAI streams one token per chunk.
  const deltas: Delta[] = plan.pieces.map((text) => ({ delta: { content: text }, tokens: 1 }));
  if (!plan.toolCall) return deltas;
  const { name, arguments: args } = plan.toolCall;
  const opening = { index: 0, id: toolCallId(exchange), type: 'function', function: { name, arguments: '' } };
  deltas.push({ delta: { tool_calls: [opening] }, tokens: 1 });
  for (const piece of argumentFragments(args)) {
    deltas.push({ delta: { tool_calls: [{ index: 0, function: { arguments: piece } }] }, tokens: 1 });
  }
  return deltas;
}

async function streamCompletion(exchange: OpenAIExchange, includeUsage: boolean): Promise<void> {
  const { res, plan } = exchange;
  const base = {
    id: `chatcmpl-${exchange.requestId.slice(4, 33)}`,
    object: 'chat.completion.chunk',
    created: exchange.created,
    model: exchange.requested,
    service_tier: 'default',
    system_fingerprint: fingerprint(exchange),
  };
  const usageField = includeUsage ? { usage: null } : {};
  const send = (delta: Record<string, unknown>, finish: string | null = null) =>
    writeEvent(res, {
      ...base,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...usageField,
    });
  const deltas = streamDeltas(exchange);
  const opening = {
    role: 'assistant',
    content: plan.toolCall && plan.text === '' ? null : '',
    refusal: null,
  };
  startEventStream(res, exchange.headers);
  const counts = deltas.length > 0 ? deltas.map((delta) => delta.tokens) : [1];
  const finished = await paceChunks(counts, exchange.timing, exchange.signal, (index) => {
    if (index === 0) send(opening);
    const delta = deltas[index];
    if (delta) send(delta.delta);
  });
  if (!finished) return endStream(res);
  send({}, FINISH[plan.finish]);
  if (includeUsage) writeEvent(res, { ...base, choices: [], usage: chatUsage(exchange) });
  writeEvent(res, '[DONE]');
  endStream(res);
}

export async function handleChatCompletions(
  ctx: SimulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
): Promise<void> {
  const exchange = await prepareOpenAI(ctx, req, res, body, CHAT_ENDPOINT);
  if (!exchange || !isRecord(body)) return;
  if (body.stream !== true) return sendCompletion(exchange);
  const options = isRecord(body.stream_options) ? body.stream_options : {};
  return streamCompletion(exchange, options.include_usage === true);
}
