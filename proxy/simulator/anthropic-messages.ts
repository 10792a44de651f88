/**
 * POST /v1/messages (JSON and SSE) and POST /v1/messages/count_tokens.
 * Stream order follows Anthropic: message_start, content_block_start, ping,
 * content_block_delta..., content_block_stop, message_delta (cumulative
 * usage), message_stop.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { anthropicUsage, prepareAnthropic, type AnthropicExchange } from './anthropic-common.ts';
import type { SimulatorContext } from './context.ts';
import { endStream, sendJson, startEventStream, writeEvent } from './http.ts';
import type { FinishReason } from './plan.ts';
import { messagesPrompt } from './prompt-anthropic.ts';
import { isRecord } from './prompt.ts';
import { hashString, Rng } from './random.ts';
import { argumentFragments, StepBuilder, type StreamLayout } from './steps.ts';
import { chunkPieces } from './text.ts';
import { paceChunks, pause } from './timing.ts';

const STOP_REASON: Record<FinishReason, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool: 'tool_use',
};
/** Anthropic flushes a few tokens per text_delta rather than one. */
const MAX_TOKENS_PER_DELTA = 4;

function contentBlocks(exchange: AnthropicExchange): Array<Record<string, unknown>> {
  const { plan } = exchange;
  const blocks: Array<Record<string, unknown>> = [];
  if (plan.pieces.length > 0) blocks.push({ type: 'text', text: plan.text });
  if (plan.toolCall) {
    const input: unknown = JSON.parse(plan.toolCall.arguments);
    blocks.push({ type: 'tool_use', id: exchange.toolUseId, name: plan.toolCall.name, input });
  }
  return blocks;
}

function messageObject(exchange: AnthropicExchange, done: boolean) {
  return {
    id: exchange.messageId,
    type: 'message',
    role: 'assistant',
    model: exchange.requested,
    content: done ? contentBlocks(exchange) : [],
    stop_reason: done ? STOP_REASON[exchange.plan.finish] : null,
    stop_sequence: null,
    usage: anthropicUsage(exchange, done ? exchange.plan.outputTokens : 1),
  };
}

function textBlockEvents(builder: StepBuilder, exchange: AnthropicExchange, index: number): void {
  const rng = new Rng(hashString(exchange.requestId));
  builder.beforeNext('content_block_start', { index, content_block: { type: 'text', text: '' } });
  builder.beforeNext('ping', {});
  for (const { text, tokens } of chunkPieces(exchange.plan.pieces, rng, MAX_TOKENS_PER_DELTA)) {
    builder.token('content_block_delta', { index, delta: { type: 'text_delta', text } }, tokens);
  }
  builder.afterLast('content_block_stop', { index });
}

function toolBlockEvents(builder: StepBuilder, exchange: AnthropicExchange, index: number): void {
  const call = exchange.plan.toolCall;
  if (!call) return;
  const block = { type: 'tool_use', id: exchange.toolUseId, name: call.name, input: {} };
  builder.beforeNext('content_block_start', { index, content_block: block });
  builder.beforeNext('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: '' } });
  for (const partial of argumentFragments(call.arguments)) {
    builder.token('content_block_delta', {
      index,
      delta: { type: 'input_json_delta', partial_json: partial },
    });
  }
  builder.afterLast('content_block_stop', { index });
}

function streamLayout(exchange: AnthropicExchange): StreamLayout {
  const builder = new StepBuilder();
  builder.beforeNext('message_start', { message: messageObject(exchange, false) });
  if (exchange.plan.pieces.length > 0) textBlockEvents(builder, exchange, 0);
  toolBlockEvents(builder, exchange, exchange.plan.pieces.length > 0 ? 1 : 0);
  const usage = anthropicUsage(exchange, exchange.plan.outputTokens);
  builder.afterLast('message_delta', {
    delta: { stop_reason: STOP_REASON[exchange.plan.finish], stop_sequence: null },
    usage: {
      input_tokens: usage.input_tokens,
      cache_creation_input_tokens: usage.cache_creation_input_tokens,
      cache_read_input_tokens: usage.cache_read_input_tokens,
      output_tokens: usage.output_tokens,
    },
  });
  builder.afterLast('message_stop', {});
  return builder.finish();
}

async function streamMessage(exchange: AnthropicExchange): Promise<void> {
  const { res } = exchange;
  const emit = (type: string, data: Record<string, unknown>) => writeEvent(res, { type, ...data }, type);
  startEventStream(res, exchange.headers);
  const { prelude, steps } = streamLayout(exchange);
  for (const event of prelude) emit(event.type, event.data);
  await paceChunks(
    steps.map((step) => step.tokens),
    exchange.timing,
    exchange.signal,
    (index) => steps[index]?.events.forEach((event) => emit(event.type, event.data)),
  );
  endStream(res);
}

async function sendMessage(exchange: AnthropicExchange): Promise<void> {
  const { timing, plan, signal } = exchange;
  if (!(await pause(timing.firstTokenMs + Math.max(0, plan.outputTokens - 1) * timing.perTokenMs, signal)))
    return;
  sendJson(exchange.res, 200, messageObject(exchange, true), exchange.headers);
}

export async function handleMessages(
  ctx: SimulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
): Promise<void> {
  const exchange = await prepareAnthropic(ctx, req, res, body);
  if (!exchange || !isRecord(body)) return;
  return body.stream === true ? streamMessage(exchange) : sendMessage(exchange);
}

export function handleCountTokens(res: ServerResponse, body: unknown): void {
  sendJson(res, 200, { input_tokens: isRecord(body) ? messagesPrompt(body).tokens : 0 });
}
