import type { Endpoint } from '../../../contracts/usage.ts';

/** Endpoints that generate text (embeddings are never routed or cascaded). */
export type GenerationEndpoint = Exclude<Endpoint, 'embeddings' | 'realtime'>;

export type TurnRole = 'user' | 'assistant' | 'tool';

export interface Turn {
  role: TurnRole;
  text: string;
}

/** A request flattened to plain text, whichever wire format it arrived in. */
export interface Conversation {
  /** System, developer and `instructions` text, joined. */
  system: string;
  /** Non-system turns in order; tool calls and results are rendered as their JSON text. */
  turns: Turn[];
  toolCount: number;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Text of a content value: a string, or an array of parts/blocks in any of the three APIs. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => partText(part))
    .filter((text) => text !== '')
    .join('\n');
}

function partText(part: unknown): string {
  if (typeof part === 'string') return part;
  if (!isObject(part)) return '';
  if (typeof part['text'] === 'string') return part['text'];
  // Anthropic tool_use carries `input`, tool_result nests content; both count as conversation text.
  if (part['type'] === 'tool_use') return JSON.stringify(part['input'] ?? {});
  if (part['type'] === 'tool_result') return contentText(part['content']);
  return '';
}

function roleOf(value: unknown): TurnRole | 'system' {
  if (value === 'system' || value === 'developer') return 'system';
  if (value === 'assistant') return 'assistant';
  if (value === 'tool' || value === 'function') return 'tool';
  return 'user';
}

function chatConversation(body: Json): Conversation {
  const system: string[] = [];
  const turns: Turn[] = [];
  for (const message of asArray(body['messages'])) {
    if (!isObject(message)) continue;
    const role = roleOf(message['role']);
    const calls = asArray(message['tool_calls']).map((call) => JSON.stringify(call));
    const text = [contentText(message['content']), ...calls].filter((t) => t !== '').join('\n');
    if (role === 'system') system.push(text);
    else turns.push({ role, text });
  }
  return { system: system.join('\n'), turns, toolCount: asArray(body['tools']).length };
}

function messagesConversation(body: Json): Conversation {
  const turns: Turn[] = [];
  for (const message of asArray(body['messages'])) {
    if (!isObject(message)) continue;
    const blocks = asArray(message['content']);
    // A user turn made only of tool results is the tool speaking, not the person.
    const onlyResults = blocks.length > 0 && blocks.every((b) => isObject(b) && b['type'] === 'tool_result');
    const role = onlyResults ? 'tool' : roleOf(message['role']);
    turns.push({ role: role === 'system' ? 'user' : role, text: contentText(message['content']) });
  }
  return { system: contentText(body['system']), turns, toolCount: asArray(body['tools']).length };
}

function responsesItem(item: unknown): Turn | { role: 'system'; text: string } | null {
  if (typeof item === 'string') return { role: 'user', text: item };
  if (!isObject(item)) return null;
  if (item['type'] === 'function_call') return { role: 'assistant', text: String(item['arguments'] ?? '') };
  if (item['type'] === 'function_call_output') {
    const output = item['output'];
    return { role: 'tool', text: typeof output === 'string' ? output : JSON.stringify(output ?? '') };
  }
  if (!('role' in item)) return null;
  return { role: roleOf(item['role']), text: contentText(item['content']) };
}

function responsesConversation(body: Json): Conversation {
  const system: string[] = typeof body['instructions'] === 'string' ? [body['instructions']] : [];
  const turns: Turn[] = [];
  const input = typeof body['input'] === 'string' ? [body['input']] : asArray(body['input']);
  for (const raw of input) {
    const item = responsesItem(raw);
    if (item?.role === 'system') system.push(item.text);
    else if (item) turns.push(item as Turn);
  }
  return { system: system.join('\n'), turns, toolCount: asArray(body['tools']).length };
}

function completionsConversation(body: Json): Conversation {
  const prompt = body['prompt'];
  const text =
    typeof prompt === 'string'
      ? prompt
      : asArray(prompt)
          .filter((p) => typeof p === 'string')
          .join('\n');
  return { system: '', turns: [{ role: 'user', text }], toolCount: 0 };
}

/** The request's text, flattened; unknown shapes give an empty conversation rather than throwing. */
export function extractConversation(endpoint: GenerationEndpoint, body: Json): Conversation {
  switch (endpoint) {
    case 'chat':
      return chatConversation(body);
    case 'messages':
      return messagesConversation(body);
    case 'responses':
      return responsesConversation(body);
    case 'completions':
      return completionsConversation(body);
  }
}

/** True when the request asks for JSON output (JSON mode or a JSON schema). */
export function requestsJson(endpoint: GenerationEndpoint, body: Json): boolean {
  const isJsonFormat = (format: unknown): boolean =>
    isObject(format) && (format['type'] === 'json_object' || format['type'] === 'json_schema');
  switch (endpoint) {
    case 'chat':
    case 'completions':
      return isJsonFormat(body['response_format']);
    case 'responses':
      return isObject(body['text']) && isJsonFormat(body['text']['format']);
    case 'messages': {
      // Anthropic structured outputs: `output_format` (beta) or `output_config.format`.
      const config = body['output_config'];
      return isJsonFormat(body['output_format']) || (isObject(config) && isJsonFormat(config['format']));
    }
  }
}
