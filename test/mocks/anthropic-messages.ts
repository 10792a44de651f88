/**
 * Anthropic Messages (`POST /v1/messages`) payloads: the message object and
 * its event stream.
 *
 * References: https://docs.anthropic.com/en/api/messages (the message object)
 * and https://docs.anthropic.com/en/docs/build-with-claude/streaming (event
 * flow and examples). A stream is named events: message_start (the message
 * with empty content, stop_reason null, input and cache usage, and a token or
 * so of output), then per content block content_block_start /
 * content_block_delta (text_delta, thinking_delta + signature_delta,
 * input_json_delta) / content_block_stop, a `ping` after the first block
 * starts, message_delta (stop_reason and the CUMULATIVE usage: output_tokens is
 * the final total, not an increment; current API versions repeat the input and
 * cache counts there too) and message_stop. Failures after the 200 arrive as
 * an `error` event.
 */
import type { JsonReply, RecordedRequest, SseEvent, SseReply } from '../support/mock-upstream.ts';
import { namedJsonEvent } from '../support/sse-frame.ts';
import {
  DEFAULT_ANTHROPIC_MODEL,
  DEFAULT_ANTHROPIC_USAGE,
  anthropicHeaders,
  anthropicJson,
  anthropicUsage,
} from './anthropic-wire.ts';
import type { AnthropicErrorType, AnthropicUsage } from './anthropic-wire.ts';
import { randomId, requestModel, splitIntoDeltas, splitIntoPieces } from './wire-common.ts';

export type StopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'pause_turn' | 'refusal';

export interface ToolUseSpec {
  id?: string;
  name: string;
  input: unknown;
}

export interface MessageOptions {
  model?: string;
  /** The text block; '' leaves it out. */
  content?: string;
  usage?: AnthropicUsage;
  stopReason?: StopReason;
  toolUse?: ToolUseSpec | ToolUseSpec[];
  /** Adds an extended-thinking block before the text. */
  thinking?: string;
}

export interface MessageStreamOptions extends MessageOptions {
  /** Exact text deltas; by default the text is split on word boundaries. */
  deltas?: string[];
  /** output_tokens in message_start; the API reports a small placeholder there. Default 1. */
  startOutputTokens?: number;
  /** Repeat input and cache counts in message_delta, as current API versions do. Default true. */
  deltaInputUsage?: boolean;
}

export const DEFAULT_MESSAGE_TEXT = 'Hello from the mock Anthropic API.';

export const PING_EVENT: SseEvent = Object.freeze(namedJsonEvent('ping', { type: 'ping' }));

type BlockSpec =
  | { kind: 'thinking'; thinking: string; signature: string }
  | { kind: 'text'; text: string }
  | { kind: 'tool_use'; id: string; name: string; input: unknown };

function blockSpecs(options: MessageOptions): BlockSpec[] {
  const blocks: BlockSpec[] = [];
  if (options.thinking !== undefined) {
    blocks.push({ kind: 'thinking', thinking: options.thinking, signature: randomId('Eq', 40) });
  }
  const text = options.content ?? DEFAULT_MESSAGE_TEXT;
  if (text !== '') blocks.push({ kind: 'text', text });
  const tools = options.toolUse === undefined ? [] : [options.toolUse].flat();
  for (const tool of tools) {
    blocks.push({
      kind: 'tool_use',
      id: tool.id ?? randomId('toolu_01', 22),
      name: tool.name,
      input: tool.input,
    });
  }
  return blocks;
}

function wireBlock(block: BlockSpec): Record<string, unknown> {
  switch (block.kind) {
    case 'thinking':
      return { type: 'thinking', thinking: block.thinking, signature: block.signature };
    case 'text':
      return { type: 'text', text: block.text };
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, input: block.input };
  }
}

function stopReasonFor(options: MessageOptions): StopReason {
  return options.stopReason ?? (options.toolUse === undefined ? 'end_turn' : 'tool_use');
}

function messageObject(
  options: MessageOptions,
  content: unknown[],
  stopReason: StopReason | null,
  usage: AnthropicUsage,
): Record<string, unknown> {
  return {
    id: randomId('msg_01', 22),
    type: 'message',
    role: 'assistant',
    model: options.model ?? DEFAULT_ANTHROPIC_MODEL,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage,
  };
}

export function message(options: MessageOptions = {}): JsonReply {
  const usage = options.usage ?? anthropicUsage(DEFAULT_ANTHROPIC_USAGE);
  return anthropicJson(
    messageObject(options, blockSpecs(options).map(wireBlock), stopReasonFor(options), usage),
  );
}

function blockStart(block: BlockSpec): Record<string, unknown> {
  switch (block.kind) {
    case 'thinking':
      return { type: 'thinking', thinking: '', signature: '' };
    case 'text':
      return { type: 'text', text: '' };
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, input: {} };
  }
}

function blockDeltas(block: BlockSpec, options: MessageStreamOptions): Array<Record<string, unknown>> {
  switch (block.kind) {
    case 'thinking':
      return [
        ...splitIntoDeltas(block.thinking).map((thinking) => ({ type: 'thinking_delta', thinking })),
        { type: 'signature_delta', signature: block.signature },
      ];
    case 'text':
      return (options.deltas ?? splitIntoDeltas(block.text)).map((text) => ({ type: 'text_delta', text }));
    case 'tool_use':
      // The API opens tool input with an empty fragment before the JSON pieces.
      return ['', ...splitIntoPieces(JSON.stringify(block.input))].map((partial_json) => ({
        type: 'input_json_delta',
        partial_json,
      }));
  }
}

function blockEvents(block: BlockSpec, index: number, options: MessageStreamOptions): SseEvent[] {
  const start = namedJsonEvent('content_block_start', {
    type: 'content_block_start',
    index,
    content_block: blockStart(block),
  });
  const deltas = blockDeltas(block, options).map((delta) =>
    namedJsonEvent('content_block_delta', { type: 'content_block_delta', index, delta }),
  );
  const ping = index === 0 ? [PING_EVENT] : [];
  return [
    start,
    ...ping,
    ...deltas,
    namedJsonEvent('content_block_stop', { type: 'content_block_stop', index }),
  ];
}

function deltaUsage(usage: AnthropicUsage, withInput: boolean): Record<string, number> {
  if (!withInput) return { output_tokens: usage.output_tokens };
  return {
    input_tokens: usage.input_tokens,
    cache_creation_input_tokens: usage.cache_creation_input_tokens,
    cache_read_input_tokens: usage.cache_read_input_tokens,
    output_tokens: usage.output_tokens,
  };
}

/** The events of a Messages stream (for composing faults); `messageStream` wraps them in a reply. */
export function messageStreamEvents(
  request: RecordedRequest | undefined,
  options: MessageStreamOptions = {},
): SseEvent[] {
  const scripted = { ...options, model: options.model ?? requestModel(request, DEFAULT_ANTHROPIC_MODEL) };
  const usage = scripted.usage ?? anthropicUsage(DEFAULT_ANTHROPIC_USAGE);
  const startUsage = { ...usage, output_tokens: scripted.startOutputTokens ?? 1 };
  const blocks = blockSpecs(scripted);
  const delta = { stop_reason: stopReasonFor(scripted), stop_sequence: null };
  return [
    namedJsonEvent('message_start', {
      type: 'message_start',
      message: messageObject(scripted, [], null, startUsage),
    }),
    ...(blocks.length === 0 ? [PING_EVENT] : []),
    ...blocks.flatMap((block, index) => blockEvents(block, index, scripted)),
    namedJsonEvent('message_delta', {
      type: 'message_delta',
      delta,
      usage: deltaUsage(usage, scripted.deltaInputUsage ?? true),
    }),
    namedJsonEvent('message_stop', { type: 'message_stop' }),
  ];
}

export function messageStream(
  request: RecordedRequest | undefined,
  options: MessageStreamOptions = {},
): SseReply {
  return { kind: 'sse', headers: anthropicHeaders(), events: messageStreamEvents(request, options) };
}

/** The `error` event Anthropic sends when a stream fails after its 200 status. */
export function anthropicErrorEvent(type: AnthropicErrorType, errorMessage: string): SseEvent {
  return namedJsonEvent('error', { type: 'error', error: { type, message: errorMessage } });
}
