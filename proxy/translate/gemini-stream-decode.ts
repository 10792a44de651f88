/**
 * streamGenerateContent?alt=sse -> IR stream events. Reference: v1beta REST reference,
 * models.streamGenerateContent: each SSE `data:` is a whole GenerateContentResponse carrying only
 * the new parts; there is no [DONE], the chunk with a finishReason is the last one and usually
 * carries the final usageMetadata (each chunk's usageMetadata replaces the last).
 *
 * Blocks: text continues the open text block and thought text the open thinking block; each
 * functionCall arrives whole, so it is a tool block of start, one delta and stop. A thought
 * signature on a thought part signs the open thinking block; on any other part it becomes a
 * carrier thinking block right after that part (see gemini-parts.ts), which is also where the
 * empty signed text part that ends Gemini 3 streams lands.
 */
import { isRecord, parseObject } from '../../common/json.ts';
import type { SseFrame, StreamEvent } from './ir.ts';
import {
  createdFrom,
  field,
  generatedCallId,
  newResponseId,
  stopFromFinish,
  textField,
  usageFromGemini,
} from './gemini-fields.ts';
import { blockReason } from './gemini-response.ts';

interface DecodeState {
  started: boolean;
  ended: boolean;
  next: number;
  open: { index: number; kind: 'text' | 'thinking' } | null;
  calls: number;
  usage: Record<string, unknown> | null;
}

export function createGeminiStreamDecoder(): (frame: SseFrame) => StreamEvent[] {
  const state: DecodeState = { started: false, ended: false, next: 0, open: null, calls: 0, usage: null };
  return (frame) => decodeFrame(frame, state);
}

function decodeFrame(frame: SseFrame, state: DecodeState): StreamEvent[] {
  const data = typeof frame?.data === 'string' ? frame.data.trim() : '';
  if (state.ended || data === '' || data === '[DONE]') return [];
  const chunk = parseObject(data);
  if (!isRecord(chunk)) return [{ type: 'error', status: 502, message: 'malformed Gemini stream chunk' }];
  if (isRecord(chunk.error)) {
    state.ended = true;
    const code = chunk.error.code;
    const status = typeof code === 'number' && Number.isSafeInteger(code) ? code : 500;
    return [{ type: 'error', status, message: textField(chunk.error, 'message') ?? 'Gemini stream error' }];
  }
  const events: StreamEvent[] = [];
  if (!state.started) events.push(startEvent(chunk, state));
  const candidate = Array.isArray(chunk.candidates) ? chunk.candidates[0] : undefined;
  const content = field(candidate, 'content');
  const parts = isRecord(content) && Array.isArray(content.parts) ? content.parts : [];
  for (const part of parts) if (isRecord(part)) events.push(...decodePart(part, state));
  const usage = field(chunk, 'usageMetadata');
  if (isRecord(usage)) state.usage = { ...state.usage, ...usage };
  const finish = textField(candidate, 'finishReason');
  const blocked = blockReason(chunk) !== null;
  if (finish || blocked) events.push(...finishEvents(state, blocked ? 'SAFETY' : finish));
  return events;
}

function startEvent(chunk: Record<string, unknown>, state: DecodeState): StreamEvent {
  state.started = true;
  return {
    type: 'start',
    id: textField(chunk, 'responseId') || newResponseId(),
    model: textField(chunk, 'modelVersion') ?? '',
    created: createdFrom(field(chunk, 'createTime')),
  };
}

function close(state: DecodeState): StreamEvent[] {
  if (state.open === null) return [];
  const index = state.open.index;
  state.open = null;
  return [{ type: 'block_stop', index }];
}

/** The open block of this kind, or a new one after closing whatever else was open. */
function ensure(state: DecodeState, kind: 'text' | 'thinking', events: StreamEvent[]): number {
  if (state.open?.kind === kind) return state.open.index;
  events.push(...close(state));
  state.open = { index: state.next++, kind };
  return state.open.index;
}

function decodePart(part: Record<string, unknown>, state: DecodeState): StreamEvent[] {
  const signature = textField(part, 'thoughtSignature') || null;
  const text = typeof part.text === 'string' ? part.text : null;
  if (text !== null && part.thought === true) return thoughtPart(text, signature, state);
  const events: StreamEvent[] = [];
  if (text) events.push({ type: 'text_delta', index: ensure(state, 'text', events), text });
  const call = field(part, 'functionCall');
  if (isRecord(call)) events.push(...functionCall(call, state));
  if (signature !== null) {
    const index = ensure(state, 'thinking', events);
    events.push({ type: 'thinking_signature', index, signature }, ...close(state));
  }
  return events;
}

/** A signature closes its thinking block: later thought text starts a new one. */
function thoughtPart(text: string, signature: string | null, state: DecodeState): StreamEvent[] {
  const events: StreamEvent[] = [];
  if (text === '' && signature === null) return events;
  const index = ensure(state, 'thinking', events);
  if (text !== '') events.push({ type: 'thinking_delta', index, text });
  if (signature !== null) events.push({ type: 'thinking_signature', index, signature }, ...close(state));
  return events;
}

function functionCall(call: Record<string, unknown>, state: DecodeState): StreamEvent[] {
  const name = textField(call, 'name');
  if (!name) return [];
  const events = close(state);
  const index = state.next++;
  const id = textField(call, 'id') || generatedCallId(state.calls);
  state.calls += 1;
  const args = isRecord(call.args) ? call.args : {};
  events.push(
    { type: 'tool_call_start', index, id, name },
    { type: 'tool_call_delta', index, arguments: JSON.stringify(args) },
    { type: 'block_stop', index },
  );
  return events;
}

function finishEvents(state: DecodeState, finish: string | null): StreamEvent[] {
  state.ended = true;
  const events = close(state);
  const usage = usageFromGemini(state.usage);
  if (usage !== null) events.push({ type: 'usage', usage });
  events.push({ type: 'finish', stopReason: stopFromFinish(finish, state.calls > 0), stopSequence: null });
  events.push({ type: 'end' });
  return events;
}
