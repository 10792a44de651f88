/**
 * IR system prompt and conversation -> Chat Completions `messages`. What the format cannot carry
 * is dropped: thinking parts (OpenAI does not accept reasoning back in a request), cache
 * breakpoints, images inside tool results (tool messages take text only) and the isError flag.
 */
import type { ChatMessage, ContentPart, ImagePart, TextPart, ToolCallPart, ToolResultPart } from './ir.ts';

type Message = Record<string, unknown>;

/** Each system part becomes its own `system` message, the role every compatible server accepts. */
export function encodeMessages(system: TextPart[], messages: ChatMessage[]): Message[] {
  const out: Message[] = system.map((part) => ({ role: 'system', content: part.text }));
  for (const message of messages) {
    out.push(...(message.role === 'user' ? encodeUser(message.content) : encodeAssistant(message.content)));
  }
  return out;
}

/** Tool results become `tool` messages; the rest, in order, user messages between them. */
function encodeUser(content: ContentPart[]): Message[] {
  const out: Message[] = [];
  let pending: Array<TextPart | ImagePart> = [];
  const flush = (): void => {
    if (pending.length > 0) out.push({ role: 'user', content: userContent(pending) });
    pending = [];
  };
  for (const part of content) {
    if (part.type === 'tool_result') {
      flush();
      out.push(toolMessage(part));
    } else if (part.type === 'text' || part.type === 'image') {
      pending.push(part);
    }
  }
  flush();
  return out;
}

/** A lone text part is sent as a plain string, the form every compatible server accepts. */
function userContent(parts: Array<TextPart | ImagePart>): unknown {
  const [first] = parts;
  if (parts.length === 1 && first?.type === 'text') return first.text;
  return parts.map((part) =>
    part.type === 'text'
      ? { type: 'text', text: part.text }
      : { type: 'image_url', image_url: { url: imageUrl(part) } },
  );
}

function imageUrl(part: ImagePart): string {
  const source = part.source;
  return source.kind === 'url' ? source.url : `data:${source.mediaType};base64,${source.data}`;
}

function toolMessage(part: ToolResultPart): Message {
  const texts = part.content.filter((item): item is TextPart => item.type === 'text');
  return { role: 'tool', tool_call_id: part.toolCallId, content: textContent(texts) ?? '' };
}

function textContent(texts: TextPart[]): unknown {
  const [first] = texts;
  if (!first) return null;
  if (texts.length === 1) return first.text;
  return texts.map((text) => ({ type: 'text', text: text.text }));
}

function encodeAssistant(content: ContentPart[]): Message[] {
  const texts = content.filter((part): part is TextPart => part.type === 'text');
  const calls = content.filter((part): part is ToolCallPart => part.type === 'tool_call');
  const message: Message = {
    role: 'assistant',
    content: textContent(texts) ?? (calls.length > 0 ? null : ''),
  };
  if (calls.length > 0) message.tool_calls = calls.map(encodeToolCall);
  return [message];
}

export function encodeToolCall(call: ToolCallPart): Record<string, unknown> {
  return { id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } };
}
