/**
 * IR stream events -> streamGenerateContent?alt=sse chunks, each a GenerateContentResponse with
 * only the new parts (v1beta REST reference, models.streamGenerateContent), as @google/genai's
 * generateContentStream reads them: one chunk per text or thought delta, a functionCall whole in
 * one chunk (Gemini never splits arguments, so a tool block's deltas are gathered until its
 * block_stop), and a last chunk with the finishReason and usageMetadata. That last chunk waits for
 * `end`, since some sources (OpenAI) report usage after the finish.
 *
 * A finished function call is held back for one event: a carrier signature right after it (see
 * gemini-parts.ts) is put on the call's own part, where Gemini expects it when the history comes
 * back. Any other signature goes out as Gemini streams it: an empty text part that carries it,
 * marked as thought when it signs thought text.
 */
import type { TokenUsage } from '../../contracts/usage.ts';
import type { SseFrame, StopReason, StreamEvent } from './ir.ts';
import { encodeUsage, errorBody, isGeneratedCallId } from './gemini-fields.ts';
import { toolArgumentsObject } from './tool-arguments.ts';
import { encodeCandidate } from './gemini-response.ts';

type Part = Record<string, unknown>;

interface EncodeState {
  id: string;
  model: string;
  /** Per block: whether it is a tool call being gathered, or how much thought text it had. */
  tools: Map<number, { id: string; name: string; args: string }>;
  thoughtText: Set<number>;
  held: Part | null;
  usage: Partial<TokenUsage> | null;
  stop: StopReason | null;
  done: boolean;
}

export function createGeminiStreamEncoder(): (event: StreamEvent) => SseFrame[] {
  const state: EncodeState = {
    id: '',
    model: '',
    tools: new Map(),
    thoughtText: new Set(),
    held: null,
    usage: null,
    stop: null,
    done: false,
  };
  return (event) => (state.done ? [] : encodeEvent(event, state));
}

function encodeEvent(event: StreamEvent, state: EncodeState): SseFrame[] {
  switch (event.type) {
    case 'start':
      state.id = event.id;
      state.model = event.model;
      return [];
    case 'thinking_signature':
      return signature(event.index, event.signature, state);
    case 'usage':
      state.usage = { ...state.usage, ...event.usage };
      return [];
    case 'finish':
      state.stop = event.stopReason;
      return [];
    case 'end':
      return finalChunk(state);
    case 'error':
      state.done = true;
      return [...release(state), frame(errorBody(event.status, event.message))];
    default:
      return content(event, state);
  }
}

function content(event: StreamEvent, state: EncodeState): SseFrame[] {
  const frames = event.type === 'block_stop' && state.tools.has(event.index) ? [] : release(state);
  switch (event.type) {
    // Empty deltas are not sent: the SDK treats a part with empty text as an invalid turn.
    case 'text_delta':
      return event.text === '' ? frames : [...frames, chunk(state, [{ text: event.text }])];
    case 'thinking_delta':
      if (event.text === '') return frames;
      state.thoughtText.add(event.index);
      return [...frames, chunk(state, [{ text: event.text, thought: true }])];
    case 'tool_call_start':
      state.tools.set(event.index, { id: event.id, name: event.name, args: '' });
      return frames;
    case 'tool_call_delta': {
      const tool = state.tools.get(event.index);
      if (tool) tool.args += event.arguments;
      return frames;
    }
    case 'block_stop':
      return [...frames, ...finishTool(event.index, state)];
    default:
      return frames;
  }
}

/** Arguments that are not a JSON object (cut off by max_tokens) cannot be carried: `{}` goes instead. */
function finishTool(index: number, state: EncodeState): SseFrame[] {
  const tool = state.tools.get(index);
  if (!tool) return [];
  state.tools.delete(index);
  const frames = release(state);
  const call: Part = { name: tool.name, args: toolArgumentsObject(tool.args) ?? {} };
  if (!isGeneratedCallId(tool.id)) call.id = tool.id;
  state.held = { functionCall: call };
  return frames;
}

function signature(index: number, value: string, state: EncodeState): SseFrame[] {
  if (state.held !== null && !state.thoughtText.has(index)) {
    state.held.thoughtSignature = value;
    return release(state);
  }
  const frames = release(state);
  const part: Part = { text: '', thoughtSignature: value };
  if (state.thoughtText.has(index)) part.thought = true;
  return [...frames, chunk(state, [part])];
}

function release(state: EncodeState): SseFrame[] {
  if (state.held === null) return [];
  const part = state.held;
  state.held = null;
  return [chunk(state, [part])];
}

/** A held call rides on the last chunk, as Gemini sends a final call with its finishReason. */
function finalChunk(state: EncodeState): SseFrame[] {
  state.done = true;
  const parts = state.held !== null ? [state.held] : [];
  state.held = null;
  const body = response(state, encodeCandidate(parts, state.stop));
  if (state.usage !== null) body.usageMetadata = encodeUsage(state.usage);
  return [frame(body)];
}

function chunk(state: EncodeState, parts: Part[]): SseFrame {
  return frame(response(state, encodeCandidate(parts, null)));
}

function response(state: EncodeState, candidate: Record<string, unknown>): Record<string, unknown> {
  return { candidates: [candidate], modelVersion: state.model, responseId: state.id };
}

function frame(body: Record<string, unknown>): SseFrame {
  return { event: null, data: JSON.stringify(body) };
}
