/**
 * Anthropic Messages SSE stream -> IR stream events, frame by frame.
 * Reference: Anthropic "Streaming Messages" (https://docs.anthropic.com/en/docs/build-with-claude/streaming):
 * message_start, content_block_start / content_block_delta (text_delta, input_json_delta,
 * thinking_delta, signature_delta) / content_block_stop, message_delta, message_stop, ping, error;
 * @anthropic-ai/sdk RawMessageStreamEvent for the exact shapes.
 */
import { isRecord, parseObject, stringField } from '../../common/json.ts';
import { createAnthropicStreamUsage } from '../usage/anthropic.ts';
import type { AnthropicStreamUsage } from '../usage/anthropic.ts';
import { errorStatus, nowSeconds, stopReasonFromWire } from './anthropic-response.ts';
import { lookup } from './anthropic-lookup.ts';
import type { SseFrame, StreamEvent } from './ir.ts';

interface DecoderState {
  usage: AnthropicStreamUsage;
  /** Wire block index -> IR block index; null for blocks the IR does not carry (redacted thinking, server tools). */
  blocks: Map<number, number | null>;
  next: number;
}

type Data = Record<string, unknown>;

export function createStreamDecoder(): (frame: SseFrame) => StreamEvent[] {
  const state: DecoderState = { usage: createAnthropicStreamUsage(), blocks: new Map(), next: 0 };
  return (frame) => {
    const data = parseObject(frame.data);
    if (data === null || Array.isArray(data)) return [];
    const type = typeof data.type === 'string' ? data.type : frame.event;
    const handle = lookup(HANDLERS, type);
    return handle === undefined ? [] : handle(data, state);
  };
}

/** ping and event types this codec does not know produce nothing. */
const HANDLERS: Record<string, (data: Data, state: DecoderState) => StreamEvent[]> = {
  message_start: onMessageStart,
  content_block_start: onBlockStart,
  content_block_delta: onBlockDelta,
  content_block_stop: onBlockStop,
  message_delta: onMessageDelta,
  message_stop: () => [{ type: 'end' }],
  error: onError,
};

function onMessageStart(data: Data, state: DecoderState): StreamEvent[] {
  const message = isRecord(data.message) ? data.message : {};
  const events: StreamEvent[] = [
    {
      type: 'start',
      id: stringField(message, 'id') ?? '',
      model: stringField(message, 'model') ?? '',
      created: nowSeconds(),
    },
  ];
  state.usage.onMessageStart(message);
  const usage = state.usage.result();
  if (usage !== null) events.push({ type: 'usage', usage });
  return events;
}

/**
 * Every carried block opens with a delta (possibly empty) so its kind is known even when no delta
 * follows; the IR has no separate "block start" for text and thinking.
 */
function onBlockStart(data: Data, state: DecoderState): StreamEvent[] {
  const wire = data.index;
  const block = data.content_block;
  if (typeof wire !== 'number' || !isRecord(block) || state.blocks.has(wire)) return [];
  const opening = openingEvents(block, state.next);
  state.blocks.set(wire, opening === null ? null : state.next++);
  return opening ?? [];
}

function openingEvents(block: Data, index: number): StreamEvent[] | null {
  switch (block.type) {
    case 'text':
      return [{ type: 'text_delta', index, text: stringField(block, 'text') ?? '' }];
    case 'thinking': {
      const events: StreamEvent[] = [
        { type: 'thinking_delta', index, text: stringField(block, 'thinking') ?? '' },
      ];
      const signature = stringField(block, 'signature');
      if (signature) events.push({ type: 'thinking_signature', index, signature });
      return events;
    }
    case 'tool_use':
      return toolOpening(block, index);
    default:
      return null;
  }
}

/** The API starts tool_use with input {}; any input already present is sent on as a first delta. */
function toolOpening(block: Data, index: number): StreamEvent[] | null {
  const id = stringField(block, 'id');
  const name = stringField(block, 'name');
  if (id === null || name === null) return null;
  const events: StreamEvent[] = [{ type: 'tool_call_start', index, id, name }];
  if (isRecord(block.input) && Object.keys(block.input).length > 0) {
    events.push({ type: 'tool_call_delta', index, arguments: JSON.stringify(block.input) });
  }
  return events;
}

function blockIndex(data: Data, state: DecoderState): number | null {
  return typeof data.index === 'number' ? (state.blocks.get(data.index) ?? null) : null;
}

/** Empty text and thinking deltas carry nothing; citations_delta has no IR place. */
function onBlockDelta(data: Data, state: DecoderState): StreamEvent[] {
  const index = blockIndex(data, state);
  const delta = data.delta;
  if (index === null || !isRecord(delta)) return [];
  const text = stringField(delta, 'text');
  const thinking = stringField(delta, 'thinking');
  const json = stringField(delta, 'partial_json');
  const signature = stringField(delta, 'signature');
  switch (delta.type) {
    case 'text_delta':
      return text ? [{ type: 'text_delta', index, text }] : [];
    case 'thinking_delta':
      return thinking ? [{ type: 'thinking_delta', index, text: thinking }] : [];
    case 'input_json_delta':
      return json === null ? [] : [{ type: 'tool_call_delta', index, arguments: json }];
    case 'signature_delta':
      return signature === null ? [] : [{ type: 'thinking_signature', index, signature }];
    default:
      return [];
  }
}

function onBlockStop(data: Data, state: DecoderState): StreamEvent[] {
  const index = blockIndex(data, state);
  return index === null ? [] : [{ type: 'block_stop', index }];
}

/** Delta usage is cumulative; the collector merges it over message_start's and the whole is re-sent. */
function onMessageDelta(data: Data, state: DecoderState): StreamEvent[] {
  const events: StreamEvent[] = [];
  const delta = isRecord(data.delta) ? data.delta : {};
  if (typeof delta.stop_reason === 'string') {
    const stopSequence = stringField(delta, 'stop_sequence');
    events.push({ type: 'finish', stopReason: stopReasonFromWire(delta.stop_reason), stopSequence });
  }
  if (isRecord(data.usage)) {
    state.usage.onMessageDelta(data.usage);
    const usage = state.usage.result();
    if (usage !== null) events.push({ type: 'usage', usage });
  }
  return events;
}

function onError(data: Data): StreamEvent[] {
  const error = isRecord(data.error) ? data.error : {};
  return [
    {
      type: 'error',
      status: errorStatus(error.type),
      message: stringField(error, 'message') ?? 'stream error',
    },
  ];
}
