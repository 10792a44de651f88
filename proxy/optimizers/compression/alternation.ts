import { isRecord, type Json } from './types.ts';

/**
 * Anthropic wants user and assistant to alternate, starting with user. After turns are dropped,
 * two user messages may meet (merged: their blocks are concatenated, tool_result blocks first as
 * the API requires, every block and its cache_control kept as it was), or two assistant messages
 * may meet (a placeholder user message goes between them: merging assistant messages could put
 * thinking blocks where the API rejects them).
 */

export const OMITTED_PLACEHOLDER = '[earlier turns omitted by Apex]';

function placeholder(): Json {
  return { role: 'user', content: [{ type: 'text', text: OMITTED_PLACEHOLDER }] };
}

function blocksOf(content: unknown): unknown[] {
  if (Array.isArray(content)) return content;
  return typeof content === 'string' && content !== '' ? [{ type: 'text', text: content }] : [];
}

function isToolResult(block: unknown): boolean {
  return isRecord(block) && block['type'] === 'tool_result';
}

function mergeUsers(first: Json, second: Json): Json {
  const blocks = [...blocksOf(first['content']), ...blocksOf(second['content'])];
  const ordered = [...blocks.filter(isToolResult), ...blocks.filter((block) => !isToolResult(block))];
  return { ...first, content: ordered };
}

function roleOfEntry(message: unknown): unknown {
  return isRecord(message) ? message['role'] : undefined;
}

export function restoreAlternation(messages: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const message of messages) {
    const previous = out.at(-1);
    const role = roleOfEntry(message);
    if (previous === undefined) {
      if (role === 'assistant') out.push(placeholder());
    } else if (role === roleOfEntry(previous) && role === 'user' && isRecord(previous) && isRecord(message)) {
      out[out.length - 1] = mergeUsers(previous, message);
      continue;
    } else if (role === roleOfEntry(previous) && role === 'assistant') {
      out.push(placeholder());
    }
    out.push(message);
  }
  return out;
}
