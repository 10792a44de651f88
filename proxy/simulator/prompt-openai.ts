/** Reads OpenAI request bodies (chat, legacy completions, responses, embeddings) into PromptInfo. */
import {
  asArray,
  asString,
  IMAGE_TOKENS,
  isRecord,
  jsonSegment,
  segment,
  totalTokens,
  type PromptInfo,
  type PromptSegment,
  type ToolSpec,
} from './prompt.ts';

/** Chat framing: each message costs a few tokens beyond its text, and the reply is primed with three. */
const TOKENS_PER_MESSAGE = 3;
const REPLY_PRIMING_TOKENS = 3;

function contentPartText(part: unknown): { text: string; extra: number } {
  if (typeof part === 'string') return { text: part, extra: 0 };
  if (!isRecord(part)) return { text: '', extra: 0 };
  if (typeof part.text === 'string') return { text: part.text, extra: 0 };
  if (part.type === 'image_url' || part.type === 'input_image')
    return { text: '[image]', extra: IMAGE_TOKENS };
  return { text: asString(part), extra: 0 };
}

/** Message content is a string or a list of typed parts; images count a flat amount. */
function contentSegment(prefix: string, content: unknown, framing: number, suffix = ''): PromptSegment {
  const parts = Array.isArray(content) ? content.map(contentPartText) : [contentPartText(content ?? '')];
  const text = prefix + parts.map((part) => part.text).join('\n') + suffix;
  const extra = parts.reduce((sum, part) => sum + part.extra, framing);
  return segment(text, extra);
}

function chatMessageSegment(message: unknown): PromptSegment {
  if (!isRecord(message)) return segment('', TOKENS_PER_MESSAGE);
  const role = asString(message.role);
  const calls = message.tool_calls === undefined ? '' : `\n${asString(message.tool_calls)}`;
  return contentSegment(`${role}: `, message.content, TOKENS_PER_MESSAGE, calls);
}

function chatTools(body: Record<string, unknown>): ToolSpec[] {
  return asArray(body.tools).flatMap((tool) => {
    if (!isRecord(tool) || !isRecord(tool.function)) return [];
    return [{ name: asString(tool.function.name), parameters: tool.function.parameters }];
  });
}

function responsesTools(body: Record<string, unknown>): ToolSpec[] {
  return asArray(body.tools).flatMap((tool) => {
    if (!isRecord(tool) || tool.type !== 'function') return [];
    return [{ name: asString(tool.name), parameters: tool.parameters }];
  });
}

function openaiToolChoice(choice: unknown, tools: ToolSpec[]): PromptInfo['toolChoice'] {
  if (tools.length === 0 || choice === 'none') return 'none';
  if (choice === 'required' || isRecord(choice)) return 'required';
  return 'auto';
}

/** Tools come first: OpenAI caches the prefix "tools, then messages". */
function withTools(tools: unknown, rest: PromptSegment[]): PromptSegment[] {
  return Array.isArray(tools) && tools.length > 0 ? [jsonSegment(tools), ...rest] : rest;
}

export function chatPrompt(body: Record<string, unknown>): PromptInfo {
  const messages = asArray(body.messages);
  const segments = withTools(body.tools, messages.map(chatMessageSegment));
  const tools = chatTools(body);
  const last = messages[messages.length - 1];
  return {
    segments,
    tokens: totalTokens(segments, REPLY_PRIMING_TOKENS),
    tools,
    afterToolResult: isRecord(last) && last.role === 'tool',
    toolChoice: openaiToolChoice(body.tool_choice, tools),
  };
}

/** Legacy prompts may be a string, a batch of strings, or pre-tokenized integer arrays. */
export function completionsPrompt(body: Record<string, unknown>): PromptInfo {
  const prompts = Array.isArray(body.prompt) ? body.prompt : [body.prompt ?? ''];
  const segments = prompts.map((prompt) =>
    Array.isArray(prompt) || typeof prompt === 'number'
      ? { text: asString(prompt), tokens: Array.isArray(prompt) ? prompt.length : 1 }
      : segment(asString(prompt)),
  );
  return {
    segments,
    tokens: totalTokens(segments, 0),
    tools: [],
    afterToolResult: false,
    toolChoice: 'none',
  };
}

function responsesItemSegment(item: unknown): PromptSegment {
  if (typeof item === 'string') return segment(item, TOKENS_PER_MESSAGE);
  if (!isRecord(item)) return segment('', TOKENS_PER_MESSAGE);
  if (item.type === 'function_call') return segment(`${asString(item.name)}(${asString(item.arguments)})`, 4);
  if (item.type === 'function_call_output') return segment(asString(item.output), 4);
  if (item.type === 'reasoning') return segment('', 0);
  return contentSegment(`${asString(item.role)}: `, item.content, TOKENS_PER_MESSAGE);
}

export function responsesPrompt(body: Record<string, unknown>): PromptInfo {
  const input = typeof body.input === 'string' ? [body.input] : asArray(body.input);
  const instructions = typeof body.instructions === 'string' ? [segment(body.instructions, 4)] : [];
  const segments = withTools(body.tools, [...instructions, ...input.map(responsesItemSegment)]);
  const tools = responsesTools(body);
  const last = input[input.length - 1];
  return {
    segments,
    tokens: totalTokens(segments, REPLY_PRIMING_TOKENS),
    tools,
    afterToolResult: isRecord(last) && last.type === 'function_call_output',
    toolChoice: openaiToolChoice(body.tool_choice, tools),
  };
}

/** Embedding inputs, one entry per vector to return; token ids count one token each. */
export function embeddingInputs(input: unknown): PromptSegment[] {
  if (typeof input === 'string') return [segment(input)];
  if (!Array.isArray(input)) return [];
  if (input.every((value) => typeof value === 'number'))
    return [{ text: input.join(','), tokens: input.length }];
  return input.map((value) =>
    Array.isArray(value) ? { text: value.join(','), tokens: value.length } : segment(asString(value)),
  );
}
