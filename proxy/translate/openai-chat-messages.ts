/**
 * Chat Completions `messages` -> IR system prompt and conversation. System and developer
 * messages are hoisted into the IR system prompt in order; tool (and legacy function) results
 * become tool_result parts of a user message, consecutive ones sharing it.
 */
import { isRecord } from '../../common/json.ts';
import { TranslationError } from './ir.ts';
import type { ChatMessage, ContentPart, ImagePart, TextPart, ToolCallPart, ToolResultPart } from './ir.ts';
import { decodeTextContent } from './openai-chat-fields.ts';

interface MessageState {
  system: TextPart[];
  messages: ChatMessage[];
  /** Tool names by call id, so results carry the name Gemini matches them by. */
  toolNames: Map<string, string>;
  /** Legacy function calls have no id: the id generated for the latest call of each name. */
  legacyIds: Map<string, string>;
  /** The user message the previous tool message went into, while results keep coming. */
  toolTurn: ChatMessage | null;
}

export function decodeMessages(raw: unknown): { system: TextPart[]; messages: ChatMessage[] } {
  if (!Array.isArray(raw)) throw new TranslationError('messages must be an array', 'messages');
  const state: MessageState = {
    system: [],
    messages: [],
    toolNames: new Map(),
    legacyIds: new Map(),
    toolTurn: null,
  };
  raw.forEach((message, i) => decodeMessage(state, message, `messages[${i}]`));
  return { system: state.system, messages: state.messages };
}

function decodeMessage(state: MessageState, message: unknown, param: string): void {
  if (!isRecord(message)) throw new TranslationError(`${param} must be an object`, param);
  const role = message.role;
  if (role === 'tool' || role === 'function') {
    addToolResult(state, toolResult(state, message, param));
    return;
  }
  state.toolTurn = null;
  if (role === 'system' || role === 'developer') {
    state.system.push(...decodeTextContent(message.content, `${param}.content`));
  } else if (role === 'user') {
    state.messages.push({ role: 'user', content: userContent(message.content, `${param}.content`) });
  } else if (role === 'assistant') {
    state.messages.push({ role: 'assistant', content: assistantContent(state, message, param) });
  } else {
    throw new TranslationError(`${param}.role ${JSON.stringify(role)} is not supported`, `${param}.role`);
  }
}

function addToolResult(state: MessageState, part: ToolResultPart): void {
  if (state.toolTurn) {
    state.toolTurn.content.push(part);
    return;
  }
  state.toolTurn = { role: 'user', content: [part] };
  state.messages.push(state.toolTurn);
}

function toolResult(state: MessageState, message: Record<string, unknown>, param: string): ToolResultPart {
  const content = decodeTextContent(message.content ?? '', `${param}.content`);
  if (message.role === 'function') {
    const name = message.name;
    if (typeof name !== 'string') throw new TranslationError(`${param}.name is required`, `${param}.name`);
    const toolCallId = state.legacyIds.get(name) ?? legacyId(param);
    return { type: 'tool_result', toolCallId, name, content, isError: false };
  }
  const id = message.tool_call_id;
  if (typeof id !== 'string' || id === '') {
    throw new TranslationError(`${param}.tool_call_id is required`, `${param}.tool_call_id`);
  }
  return {
    type: 'tool_result',
    toolCallId: id,
    name: state.toolNames.get(id) ?? null,
    content,
    isError: false,
  };
}

function userContent(content: unknown, param: string): Array<TextPart | ImagePart> {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw new TranslationError(`${param} must be a string or an array`, param);
  return content.flatMap((part, j) => userPart(part, `${param}[${j}]`));
}

function userPart(part: unknown, param: string): Array<TextPart | ImagePart> {
  if (!isRecord(part)) throw new TranslationError(`${param} must be an object`, param);
  if (part.type === 'text') {
    if (typeof part.text !== 'string')
      throw new TranslationError(`${param}.text must be a string`, `${param}.text`);
    return part.text === '' ? [] : [{ type: 'text', text: part.text }];
  }
  if (part.type === 'image_url') return [imagePart(part.image_url, `${param}.image_url`)];
  // input_audio and file parts have no IR counterpart; dropping them would change the question.
  throw new TranslationError(
    `${param}.type ${JSON.stringify(part.type)} cannot be translated`,
    `${param}.type`,
  );
}

const DATA_URL = /^data:([^;,]+)[^,]*;base64,/i;

/** http(s) URLs stay URLs; base64 data: URLs become inline images (`detail` has no IR field). */
function imagePart(image: unknown, param: string): ImagePart {
  const url = typeof image === 'string' ? image : isRecord(image) ? image.url : undefined;
  if (typeof url !== 'string') throw new TranslationError(`${param}.url must be a string`, `${param}.url`);
  if (/^https?:\/\//i.test(url)) return { type: 'image', source: { kind: 'url', url } };
  const match = DATA_URL.exec(url);
  if (!match?.[1])
    throw new TranslationError(`${param}.url must be http(s) or a base64 data URL`, `${param}.url`);
  const data = url.slice(match[0].length);
  return { type: 'image', source: { kind: 'base64', mediaType: match[1].toLowerCase(), data } };
}

function assistantContent(
  state: MessageState,
  message: Record<string, unknown>,
  param: string,
): ContentPart[] {
  const parts: ContentPart[] = [];
  const content = message.content;
  if (content !== undefined && content !== null) parts.push(...assistantText(content, `${param}.content`));
  if (typeof message.refusal === 'string' && message.refusal !== '') {
    parts.push({ type: 'text', text: message.refusal });
  }
  const calls = message.tool_calls;
  if (calls !== undefined && calls !== null) {
    if (!Array.isArray(calls))
      throw new TranslationError(`${param}.tool_calls must be an array`, `${param}.tool_calls`);
    calls.forEach((call, k) => parts.push(toolCall(state, call, `${param}.tool_calls[${k}]`)));
  }
  if (isRecord(message.function_call)) parts.push(legacyCall(state, message.function_call, param));
  return parts;
}

/** Assistant content: a string or text and refusal parts, all of which the IR keeps as text. */
function assistantText(content: unknown, param: string): TextPart[] {
  if (!Array.isArray(content)) return decodeTextContent(content, param);
  return content.flatMap((part, j): TextPart[] => {
    if (isRecord(part) && part.type === 'refusal' && typeof part.refusal === 'string') {
      return part.refusal === '' ? [] : [{ type: 'text', text: part.refusal }];
    }
    return decodeTextContent([part], `${param}[${j}]`);
  });
}

function toolCall(state: MessageState, call: unknown, param: string): ToolCallPart {
  if (!isRecord(call)) throw new TranslationError(`${param} must be an object`, param);
  if (call.type !== undefined && call.type !== 'function') {
    throw new TranslationError(
      `${param}.type ${JSON.stringify(call.type)} cannot be translated`,
      `${param}.type`,
    );
  }
  if (typeof call.id !== 'string' || call.id === '') {
    throw new TranslationError(`${param}.id is required`, `${param}.id`);
  }
  const fn = call.function;
  if (!isRecord(fn) || typeof fn.name !== 'string') {
    throw new TranslationError(`${param}.function.name is required`, `${param}.function`);
  }
  state.toolNames.set(call.id, fn.name);
  return { type: 'tool_call', id: call.id, name: fn.name, arguments: argumentText(fn.arguments) };
}

function legacyCall(state: MessageState, fn: Record<string, unknown>, param: string): ToolCallPart {
  if (typeof fn.name !== 'string') {
    throw new TranslationError(`${param}.function_call.name is required`, `${param}.function_call`);
  }
  const id = legacyId(param);
  state.legacyIds.set(fn.name, id);
  state.toolNames.set(id, fn.name);
  return { type: 'tool_call', id, name: fn.name, arguments: argumentText(fn.arguments) };
}

/** Stable within the request: derived from the message's position. */
function legacyId(param: string): string {
  return `call_${param.replace(/\D+/g, '')}`;
}

/** Arguments are JSON text; some clients send the object itself, which is serialized as is. */
function argumentText(value: unknown): string {
  if (typeof value === 'string') return value;
  return value === undefined || value === null ? '{}' : JSON.stringify(value);
}
