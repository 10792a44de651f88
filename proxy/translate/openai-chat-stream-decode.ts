/**
 * chat.completion.chunk stream -> IR StreamEvents, chunk by chunk.
 *
 * The IR numbers content blocks in order; Chat Completions interleaves nothing, so one block is
 * open at a time: a run of content deltas is a text block, each tool_calls index a tool block.
 * Usage arrives on a trailing `choices: []` chunk (OpenAI with include_usage) or on the last
 * choice chunk (Groq, vLLM, DeepSeek; older Groq as x_groq.usage); both give a usage event
 * after finish. Reasoning text is not in OpenAI's reference, but DeepSeek's
 * `delta.reasoning_content` and OpenRouter's `delta.reasoning` decode to IR thinking blocks.
 */
import { isRecord, parseObject, stringField } from '../../common/json.ts';
import { usageFromOpenAI } from '../usage/openai.ts';
import type { SseFrame, StreamEvent } from './ir.ts';
import { stopFromFinish, unixSeconds } from './openai-chat-fields.ts';

interface OpenBlock {
  kind: 'text' | 'thinking' | 'tool';
  index: number;
}

interface DecoderState {
  started: boolean;
  finished: boolean;
  ended: boolean;
  refused: boolean;
  nextIndex: number;
  open: OpenBlock | null;
  /** IR block index by the chunk's tool_calls[].index (or 'legacy' for function_call). */
  tools: Map<number | string, number>;
  lastUsage: string | null;
}

export function openaiChatStreamDecoder(): (frame: SseFrame) => StreamEvent[] {
  const state: DecoderState = {
    started: false,
    finished: false,
    ended: false,
    refused: false,
    nextIndex: 0,
    open: null,
    tools: new Map(),
    lastUsage: null,
  };
  return (frame) => (state.ended ? [] : decodeFrame(state, frame));
}

function decodeFrame(state: DecoderState, frame: SseFrame): StreamEvent[] {
  const data = frame.data.trim();
  if (data === '') return [];
  if (data === '[DONE]') {
    state.ended = true;
    return [...closeOpen(state), { type: 'end' }];
  }
  const chunk = parseObject(data);
  if (!chunk || Array.isArray(chunk)) {
    return [{ type: 'error', status: 502, message: 'malformed chunk in the upstream stream' }];
  }
  if (frame.event === 'error' || isRecord(chunk.error)) return [errorEvent(chunk)];
  const events: StreamEvent[] = [];
  const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
  // Azure opens with a choice-less prompt_filter_results chunk whose id and model are empty.
  if (!state.started && (choices.length > 0 || stringField(chunk, 'id'))) {
    state.started = true;
    events.push(startEvent(chunk));
  }
  const choice = choices.find(isFirstChoice);
  if (isRecord(choice)) decodeChoice(state, choice, events);
  decodeUsage(state, chunk, events);
  return events;
}

function isFirstChoice(choice: unknown): boolean {
  return isRecord(choice) && (choice.index === 0 || choice.index === undefined);
}

function startEvent(chunk: Record<string, unknown>): StreamEvent {
  return {
    type: 'start',
    id: stringField(chunk, 'id') ?? '',
    model: stringField(chunk, 'model') ?? '',
    created: unixSeconds(chunk.created),
  };
}

/** `data: {"error": {...}}` mid-stream (OpenAI, OpenRouter), or an `event: error` frame. */
function errorEvent(chunk: Record<string, unknown>): StreamEvent {
  const error = isRecord(chunk.error) ? chunk.error : chunk;
  const message = stringField(error, 'message') ?? 'upstream stream error';
  const numeric = [error.status, error.code].find((v) => typeof v === 'number' && v >= 400 && v <= 599);
  const status = typeof numeric === 'number' ? numeric : error.type === 'invalid_request_error' ? 400 : 500;
  return { type: 'error', status, message };
}

function decodeChoice(state: DecoderState, choice: Record<string, unknown>, events: StreamEvent[]): void {
  const delta = isRecord(choice.delta) ? choice.delta : {};
  const reasoning = stringField(delta, 'reasoning_content') || stringField(delta, 'reasoning');
  if (reasoning) appendText(state, 'thinking', reasoning, events);
  const content = stringField(delta, 'content');
  if (content) appendText(state, 'text', content, events);
  const refusal = stringField(delta, 'refusal');
  if (refusal) {
    state.refused = true;
    appendText(state, 'text', refusal, events);
  }
  if (Array.isArray(delta.tool_calls)) {
    for (const call of delta.tool_calls) if (isRecord(call)) toolDelta(state, call, events);
  }
  if (isRecord(delta.function_call))
    toolDelta(state, { index: 'legacy', function: delta.function_call }, events);
  if (typeof choice.finish_reason === 'string' && !state.finished) {
    state.finished = true;
    events.push(...closeOpen(state));
    events.push({
      type: 'finish',
      ...stopFromFinish(choice.finish_reason, choice.stop_reason, state.refused),
    });
  }
}

function appendText(
  state: DecoderState,
  kind: 'text' | 'thinking',
  text: string,
  events: StreamEvent[],
): void {
  if (state.open?.kind !== kind) {
    events.push(...closeOpen(state));
    state.open = { kind, index: state.nextIndex++ };
  }
  const index = state.open.index;
  events.push(
    kind === 'text' ? { type: 'text_delta', index, text } : { type: 'thinking_delta', index, text },
  );
}

/** The first delta of a call carries its id and name; later ones only argument text. */
function toolDelta(state: DecoderState, call: Record<string, unknown>, events: StreamEvent[]): void {
  const key =
    typeof call.index === 'number' || typeof call.index === 'string' ? call.index : state.tools.size;
  const fn = isRecord(call.function) ? call.function : {};
  let index = state.tools.get(key);
  if (index === undefined) {
    events.push(...closeOpen(state));
    index = state.nextIndex++;
    state.tools.set(key, index);
    state.open = { kind: 'tool', index };
    const id = stringField(call, 'id') || `call_${index}`;
    events.push({ type: 'tool_call_start', index, id, name: stringField(fn, 'name') ?? '' });
  }
  const args = stringField(fn, 'arguments');
  if (args) events.push({ type: 'tool_call_delta', index, arguments: args });
}

function closeOpen(state: DecoderState): StreamEvent[] {
  const open = state.open;
  state.open = null;
  return open ? [{ type: 'block_stop', index: open.index }] : [];
}

/** Some servers repeat the running usage on every chunk: only changes become events. */
function decodeUsage(state: DecoderState, chunk: Record<string, unknown>, events: StreamEvent[]): void {
  const groq = isRecord(chunk.x_groq) ? chunk.x_groq.usage : undefined;
  const usage = usageFromOpenAI(chunk.usage) ?? usageFromOpenAI(groq);
  if (!usage) return;
  const key = JSON.stringify(usage);
  if (key === state.lastUsage) return;
  state.lastUsage = key;
  events.push({ type: 'usage', usage });
}
