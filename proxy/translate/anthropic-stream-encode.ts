/**
 * IR stream events -> Anthropic Messages SSE frames, in the order @anthropic-ai/sdk's MessageStream
 * accumulates: message_start, then per block content_block_start / content_block_delta* /
 * content_block_stop (one block open at a time), then message_delta and message_stop.
 * Reference: Anthropic "Streaming Messages" (https://docs.anthropic.com/en/docs/build-with-claude/streaming)
 * and @anthropic-ai/sdk src/lib/MessageStream.ts (#accumulateMessage).
 */
import { ZERO_USAGE } from '../../contracts/usage.ts';
import type { TokenUsage } from '../../contracts/usage.ts';
import { encodeUsage, errorType, stopReasonToWire } from './anthropic-response.ts';
import type { SseFrame, StopReason, StreamEvent } from './ir.ts';

type Kind = 'text' | 'thinking' | 'tool_use';

interface EncoderState {
  /** From the IR start event; message_start waits for the usage that follows it. */
  message: { id: string; model: string };
  started: boolean;
  usage: TokenUsage;
  finish: { stopReason: StopReason; stopSequence: string | null } | null;
  /** IR block index -> wire block; blocks are numbered densely in order of appearance. */
  blocks: Map<number, { wire: number; kind: Kind }>;
  /** IR index of the block open on the wire, if any. */
  open: number | null;
  ended: boolean;
}

export function frame(type: string, data: Record<string, unknown>): SseFrame {
  return { event: type, data: JSON.stringify({ type, ...data }) };
}

export function createStreamEncoder(): (event: StreamEvent) => SseFrame[] {
  const state: EncoderState = {
    message: { id: '', model: '' },
    started: false,
    usage: { ...ZERO_USAGE },
    finish: null,
    blocks: new Map(),
    open: null,
    ended: false,
  };
  return (event) => (state.ended ? [] : encodeEvent(event, state));
}

function encodeEvent(event: StreamEvent, state: EncoderState): SseFrame[] {
  switch (event.type) {
    case 'start':
      state.message = { id: event.id, model: event.model };
      return [];
    case 'usage':
      state.usage = { ...state.usage, ...definedFields(event.usage) };
      return [];
    case 'finish':
      // message_delta carries the stop reason together with the final usage, which OpenAI sends after it.
      state.finish = { stopReason: event.stopReason, stopSequence: event.stopSequence };
      return [];
    case 'block_stop':
      return state.open === event.index ? closeOpenBlock(state) : [];
    case 'error':
      state.ended = true;
      return [frame('error', { error: { type: errorType(event.status), message: event.message } })];
    case 'end':
      return finishMessage(state);
    default:
      return encodeContent(event, state);
  }
}

/** Partial usage: only the fields present replace earlier values. */
function definedFields(usage: Partial<TokenUsage>): Partial<TokenUsage> {
  return Object.fromEntries(Object.entries(usage).filter(([, value]) => typeof value === 'number'));
}

type ContentEvent = Extract<
  StreamEvent,
  { type: 'text_delta' | 'thinking_delta' | 'thinking_signature' | 'tool_call_start' | 'tool_call_delta' }
>;

function encodeContent(event: ContentEvent, state: EncoderState): SseFrame[] {
  const frames = messageStart(state);
  switch (event.type) {
    case 'text_delta':
      return [
        ...frames,
        ...delta(state, event.index, 'text', event.text && { type: 'text_delta', text: event.text }),
      ];
    case 'thinking_delta': {
      const body = event.text && { type: 'thinking_delta', thinking: event.text };
      return [...frames, ...delta(state, event.index, 'thinking', body)];
    }
    case 'thinking_signature': {
      const body = { type: 'signature_delta', signature: event.signature };
      return [...frames, ...delta(state, event.index, 'thinking', body)];
    }
    case 'tool_call_start': {
      const opened = openBlock(state, event.index, 'tool_use', { id: event.id, name: event.name });
      return [...frames, ...(opened ?? [])];
    }
    case 'tool_call_delta': {
      const body = { type: 'input_json_delta', partial_json: event.arguments };
      return [...frames, ...delta(state, event.index, 'tool_use', body)];
    }
  }
}

/** message_start, once, before the first block: the usage known by then (input side) goes in it. */
function messageStart(state: EncoderState): SseFrame[] {
  if (state.started) return [];
  state.started = true;
  const message = {
    id: state.message.id,
    type: 'message',
    role: 'assistant',
    model: state.message.model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: encodeUsage(state.usage),
  };
  return [frame('message_start', { message })];
}

const EMPTY_BLOCKS: Record<Kind, Record<string, unknown>> = {
  text: { type: 'text', text: '' },
  thinking: { type: 'thinking', thinking: '', signature: '' },
  tool_use: { type: 'tool_use', input: {} },
};

/**
 * Opens the block for an IR index the first time it is seen, closing the one open before it (the
 * wire cannot interleave blocks). null when the index is a block of another kind or already closed:
 * its late content has no place left on the wire and is dropped.
 */
function openBlock(
  state: EncoderState,
  index: number,
  kind: Kind,
  extra: Record<string, unknown> = {},
): SseFrame[] | null {
  const known = state.blocks.get(index);
  if (known !== undefined) return known.kind === kind && state.open === index ? [] : null;
  const frames = closeOpenBlock(state);
  const wire = state.blocks.size;
  state.blocks.set(index, { wire, kind });
  state.open = index;
  const { type, ...empty } = EMPTY_BLOCKS[kind];
  frames.push(frame('content_block_start', { index: wire, content_block: { type, ...extra, ...empty } }));
  return frames;
}

/** A falsy body opens the block without a delta (empty text carries nothing). */
function delta(
  state: EncoderState,
  index: number,
  kind: Kind,
  body: Record<string, unknown> | '',
): SseFrame[] {
  const frames = openBlock(state, index, kind);
  if (frames === null) return [];
  const wire = state.blocks.get(index)?.wire;
  if (body !== '') frames.push(frame('content_block_delta', { index: wire, delta: body }));
  return frames;
}

function closeOpenBlock(state: EncoderState): SseFrame[] {
  if (state.open === null) return [];
  const wire = state.blocks.get(state.open)?.wire;
  state.open = null;
  return [frame('content_block_stop', { index: wire })];
}

/**
 * message_delta repeats the input-side counts, as the API does: a stream whose usage arrives only at
 * the end (OpenAI) still gets its input tokens to the client. Without a finish event stop_reason
 * stays null rather than being made up.
 */
function finishMessage(state: EncoderState): SseFrame[] {
  const frames = [...messageStart(state), ...closeOpenBlock(state)];
  const { cache_creation: _breakdown, ...usage } = encodeUsage(state.usage);
  const finish = state.finish;
  const messageDelta = {
    delta: {
      stop_reason: finish === null ? null : stopReasonToWire(finish.stopReason),
      stop_sequence: finish?.stopSequence ?? null,
    },
    usage,
  };
  state.ended = true;
  return [...frames, frame('message_delta', messageDelta), frame('message_stop', {})];
}
