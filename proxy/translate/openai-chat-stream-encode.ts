/**
 * IR StreamEvents -> chat.completion.chunk frames, in the order OpenAI sends them and the
 * `openai` package's ChatCompletionStream accumulates: a role chunk first, content and
 * tool_calls deltas (the first delta of a call carries id, type and name, later ones only
 * arguments), one chunk with finish_reason, then, only when the client asked for it
 * (stream_options.include_usage), a usage chunk with `choices: []`, and `data: [DONE]`.
 *
 * Thinking is dropped: OpenAI streams carry no reasoning text (see openai-chat-response.ts).
 */
import type { TokenUsage } from '../../contracts/usage.ts';
import { ZERO_USAGE } from '../../contracts/usage.ts';
import type { SseFrame, StreamEncodeOptions, StreamEvent } from './ir.ts';
import { encodeUsage, finishFromStop } from './openai-chat-fields.ts';

interface EncoderState {
  includeUsage: boolean;
  id: string;
  model: string;
  created: number;
  started: boolean;
  /** The OpenAI tool_calls index of each IR tool block. */
  tools: Map<number, number>;
  usage: Partial<TokenUsage> | null;
}

export function openaiChatStreamEncoder(
  options: StreamEncodeOptions = {},
): (event: StreamEvent) => SseFrame[] {
  const state: EncoderState = {
    includeUsage: options.includeUsage === true,
    id: '',
    model: '',
    created: 0,
    started: false,
    tools: new Map(),
    usage: null,
  };
  return (event) => encodeEvent(state, event);
}

function encodeEvent(state: EncoderState, event: StreamEvent): SseFrame[] {
  switch (event.type) {
    case 'start':
      Object.assign(state, { id: event.id, model: event.model, created: event.created });
      return [];
    case 'text_delta':
      return [...roleChunk(state, ''), choiceChunk(state, { content: event.text }, null)];
    case 'tool_call_start':
      return [...roleChunk(state, null), toolStart(state, event.index, event.id, event.name)];
    case 'tool_call_delta':
      return toolArguments(state, event.index, event.arguments);
    case 'usage':
      state.usage = { ...state.usage, ...event.usage };
      return [];
    case 'finish':
      return [...roleChunk(state, ''), choiceChunk(state, {}, finishFromStop(event.stopReason))];
    case 'error':
      return [frame({ error: { message: event.message, type: errorType(event.status), code: null } })];
    case 'end':
      return [...usageChunk(state), { event: null, data: '[DONE]' }];
    default:
      // thinking_delta, thinking_signature and block_stop have no Chat Completions counterpart.
      return [];
  }
}

/**
 * Sent once, with the first content, because its content says what comes: OpenAI starts a text
 * answer with content "" and a tool-call answer with content null, and the SDK's accumulated
 * message keeps that value.
 */
function roleChunk(state: EncoderState, content: string | null): SseFrame[] {
  if (state.started) return [];
  state.started = true;
  return [choiceChunk(state, { role: 'assistant', content }, null)];
}

function toolStart(state: EncoderState, block: number, id: string, name: string): SseFrame {
  const index = state.tools.size;
  state.tools.set(block, index);
  const call = { index, id, type: 'function', function: { name, arguments: '' } };
  return choiceChunk(state, { tool_calls: [call] }, null);
}

function toolArguments(state: EncoderState, block: number, args: string): SseFrame[] {
  const index = state.tools.get(block);
  if (index === undefined) return [];
  return [choiceChunk(state, { tool_calls: [{ index, function: { arguments: args } }] }, null)];
}

function choiceChunk(state: EncoderState, delta: Record<string, unknown>, finish: string | null): SseFrame {
  return frame({
    ...envelope(state),
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    // With include_usage every chunk but the last carries usage: null.
    ...(state.includeUsage ? { usage: null } : {}),
  });
}

function usageChunk(state: EncoderState): SseFrame[] {
  if (!state.includeUsage || state.usage === null) return [];
  const usage: TokenUsage = { ...ZERO_USAGE, ...state.usage };
  return [frame({ ...envelope(state), choices: [], usage: encodeUsage(usage) })];
}

function envelope(state: EncoderState): Record<string, unknown> {
  return { id: state.id, object: 'chat.completion.chunk', created: state.created, model: state.model };
}

function frame(body: Record<string, unknown>): SseFrame {
  return { event: null, data: JSON.stringify(body) };
}

/** OpenAI's error types; the decoder maps them back to 400 and 500. */
function errorType(status: number): string {
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}
