import type { HttpEndpoint } from '../../../contracts/usage.ts';
/** The endpoint families a semantic lookup can be asked about. */
export type SemanticEndpoint = HttpEndpoint;

/**
 * Where the final user turn sits in the request body, so the key can blank exactly that turn:
 * `index` into the `field` array, or null when the whole field is the question (a string input).
 */
export interface FinalTurn {
  text: string;
  field: 'messages' | 'input' | 'prompt';
  index: number | null;
}

type Result = FinalTurn | { reason: string };

/** Content part types that carry only text, per API. */
const TEXT_PARTS: Record<'chat' | 'messages' | 'responses', ReadonlySet<string>> = {
  chat: new Set(['text']),
  messages: new Set(['text']),
  responses: new Set(['input_text', 'text']),
};

/** Finds the final user turn's text, or why the request has none a cached answer could match. */
export function finalUserTurn(endpoint: SemanticEndpoint, body: Record<string, unknown>): Result {
  switch (endpoint) {
    case 'chat':
    case 'messages':
      return fromMessages(endpoint, body['messages']);
    case 'responses':
      return fromResponsesInput(body['input']);
    case 'completions':
      return fromPrompt(body['prompt']);
    default:
      return { reason: `the ${endpoint} endpoint is never answered from the semantic cache` };
  }
}

function fromMessages(endpoint: 'chat' | 'messages', messages: unknown): Result {
  if (!Array.isArray(messages) || messages.length === 0) return { reason: 'no messages' };
  const index = messages.length - 1;
  const last = asObject(messages[index]);
  if (!last) return { reason: 'final message is not an object' };
  if (last['role'] !== 'user')
    return { reason: `final message is from ${String(last['role'])}, not the user` };
  const text = contentText(last['content'], TEXT_PARTS[endpoint]);
  return typeof text === 'string' ? { text, field: 'messages', index } : text;
}

function fromResponsesInput(input: unknown): Result {
  if (typeof input === 'string') return { text: input, field: 'input', index: null };
  if (!Array.isArray(input) || input.length === 0) return { reason: 'no input' };
  const index = input.length - 1;
  const last = asObject(input[index]);
  if (!last) return { reason: 'final input item is not an object' };
  const type = last['type'] ?? 'message';
  if (type !== 'message') return { reason: `final input item is a ${String(type)}, not a user message` };
  if (last['role'] !== 'user')
    return { reason: `final message is from ${String(last['role'])}, not the user` };
  const text = contentText(last['content'], TEXT_PARTS.responses);
  return typeof text === 'string' ? { text, field: 'input', index } : text;
}

function fromPrompt(prompt: unknown): Result {
  if (typeof prompt === 'string') return { text: prompt, field: 'prompt', index: null };
  // One prompt in an array is the same request; several are several answers in one response.
  if (Array.isArray(prompt) && prompt.length === 1 && typeof prompt[0] === 'string') {
    return { text: prompt[0], field: 'prompt', index: 0 };
  }
  return { reason: 'prompt is not a single string' };
}

/** Text of a message's content, or why it is not plain text (images, audio, files, tool results). */
function contentText(content: unknown, allowed: ReadonlySet<string>): string | { reason: string } {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return { reason: 'final message has no text content' };
  const texts: string[] = [];
  for (const part of content) {
    const block = asObject(part);
    const type = block?.['type'];
    if (typeof type !== 'string' || !allowed.has(type) || typeof block?.['text'] !== 'string') {
      return { reason: `final message has ${typeof type === 'string' ? type : 'non-text'} content` };
    }
    texts.push(block['text']);
  }
  return texts.join('\n');
}

function asObject(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}
