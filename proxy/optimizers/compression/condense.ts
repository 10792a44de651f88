import { mapMessageTexts, roleOf } from './format.ts';
import { isRecord, type CompressibleEndpoint, type Json } from './types.ts';

/**
 * Extractive condensing, no model call: each old message shrinks to its first sentence or line,
 * each tool call to its name and the start of its arguments. The lines go into one note that
 * says how many turns were condensed, so the model knows the history is abridged.
 */

const LINE_CHARS = 160;
const ARGUMENT_CHARS = 80;

function clip(text: string, limit: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= limit ? flat : `${flat.slice(0, limit).trimEnd()}…`;
}

/** The first meaningful line of a text, cut at its first sentence end. */
export function firstSentence(text: string): string {
  const line = text
    .split('\n')
    .map((candidate) => candidate.trim())
    .find((candidate) => candidate !== '' && !/^(`{3,}|~{3,})/.test(candidate));
  if (line === undefined) return '';
  const sentence = /^.+?[.!?](?=\s|$)/.exec(line);
  return clip(sentence ? sentence[0] : line, LINE_CHARS);
}

function toolCallLines(message: Json): string[] {
  const lines: string[] = [];
  const describe = (name: unknown, args: unknown) => {
    const shown = typeof args === 'string' ? args : JSON.stringify(args ?? {});
    lines.push(`called ${String(name)}(${clip(shown, ARGUMENT_CHARS)})`);
  };
  if (Array.isArray(message['tool_calls'])) {
    for (const call of message['tool_calls']) {
      if (isRecord(call) && isRecord(call['function']))
        describe(call['function']['name'], call['function']['arguments']);
    }
  }
  if (Array.isArray(message['content'])) {
    for (const block of message['content']) {
      if (isRecord(block) && block['type'] === 'tool_use') describe(block['name'], block['input']);
    }
  }
  if (message['type'] === 'function_call') describe(message['name'], message['arguments']);
  if (message['type'] === 'custom_tool_call') describe(message['name'], message['input']);
  return lines;
}

/** One note line per message of a condensed turn ("assistant: called search(...)"). */
export function describeTurn(endpoint: CompressibleEndpoint, messages: readonly unknown[]): string[] {
  const lines: string[] = [];
  for (const message of messages) {
    if (!isRecord(message) || message['type'] === 'reasoning') continue;
    const role = roleOf(message);
    const parts: string[] = [];
    mapMessageTexts(endpoint, message, (text, kind) => {
      const sentence = firstSentence(text);
      if (sentence !== '') parts.push(kind === 'tool' ? `tool result: ${sentence}` : sentence);
      return text;
    });
    parts.push(...toolCallLines(message));
    if (parts.length > 0) lines.push(`- ${role}: ${parts.join(' / ')}`);
  }
  return lines;
}

export function noteHeader(turns: number): string {
  return `[${turns} earlier turn${turns === 1 ? '' : 's'} condensed by Apex]`;
}

/** The note as a user message in the endpoint's shape. */
export function noteMessage(endpoint: CompressibleEndpoint, turns: number, lines: readonly string[]): Json {
  const text = [noteHeader(turns), ...lines].join('\n');
  if (endpoint === 'messages') return { role: 'user', content: [{ type: 'text', text }] };
  if (endpoint === 'responses') return { type: 'message', role: 'user', content: text };
  return { role: 'user', content: text };
}
