/** Reads Anthropic Messages request bodies into PromptInfo, keeping cache_control breakpoints. */
import {
  asArray,
  asString,
  isRecord,
  segment,
  totalTokens,
  type PromptInfo,
  type PromptSegment,
  type ToolSpec,
} from './prompt.ts';

const TOKENS_PER_MESSAGE = 3;
/** A typical ~1000x1000 image costs roughly (width*height)/750 tokens. */
const ANTHROPIC_IMAGE_TOKENS = 1600;
/** Anthropic adds a small hidden system preamble when tools are present. */
const TOOL_SYSTEM_TOKENS = 300;

function cacheTtl(block: Record<string, unknown>): PromptSegment['cacheTtl'] {
  const control = block.cache_control;
  if (!isRecord(control)) return undefined;
  return control.ttl === '1h' ? '1h' : '5m';
}

function withBreakpoint(part: PromptSegment, block: unknown): PromptSegment {
  const ttl = isRecord(block) ? cacheTtl(block) : undefined;
  return ttl ? { ...part, cacheTtl: ttl } : part;
}

function blockText(block: Record<string, unknown>): { text: string; extra: number } {
  switch (block.type) {
    case 'text':
      return { text: asString(block.text), extra: 0 };
    case 'thinking':
      return { text: asString(block.thinking), extra: 0 };
    case 'image':
    case 'document':
      return { text: `[${block.type}]`, extra: ANTHROPIC_IMAGE_TOKENS };
    case 'tool_use':
      return { text: `${asString(block.name)}(${asString(block.input)})`, extra: 4 };
    case 'tool_result':
      return { text: toolResultText(block.content), extra: 4 };
    default:
      return { text: asString(block), extra: 0 };
  }
}

function toolResultText(content: unknown): string {
  if (!Array.isArray(content)) return asString(content);
  return content.map((part) => (isRecord(part) ? blockText(part).text : asString(part))).join('\n');
}

/** A message's blocks, each its own segment so breakpoints can sit between them. */
function messageSegments(message: unknown): PromptSegment[] {
  if (!isRecord(message)) return [];
  const role = asString(message.role);
  if (!Array.isArray(message.content))
    return [segment(`${role}: ${asString(message.content)}`, TOKENS_PER_MESSAGE)];
  return message.content.map((block, index) => {
    const framing = index === 0 ? TOKENS_PER_MESSAGE : 0;
    if (!isRecord(block)) return segment(asString(block), framing);
    const { text, extra } = blockText(block);
    return withBreakpoint(segment(index === 0 ? `${role}: ${text}` : text, extra + framing), block);
  });
}

function systemSegments(system: unknown): PromptSegment[] {
  if (typeof system === 'string') return [segment(system)];
  return asArray(system).map((block) =>
    withBreakpoint(segment(isRecord(block) ? asString(block.text) : asString(block)), block),
  );
}

function toolSegments(tools: unknown[]): PromptSegment[] {
  return tools.map((tool, index) => {
    const part = segment(JSON.stringify(tool), index === 0 ? TOOL_SYSTEM_TOKENS : 0);
    return withBreakpoint(part, tool);
  });
}

function anthropicTools(tools: unknown[]): ToolSpec[] {
  return tools.flatMap((tool) =>
    isRecord(tool) && typeof tool.name === 'string'
      ? [{ name: tool.name, parameters: tool.input_schema }]
      : [],
  );
}

function anthropicToolChoice(choice: unknown, tools: ToolSpec[]): PromptInfo['toolChoice'] {
  if (tools.length === 0 || (isRecord(choice) && choice.type === 'none')) return 'none';
  if (isRecord(choice) && (choice.type === 'any' || choice.type === 'tool')) return 'required';
  return 'auto';
}

function endsWithToolResult(messages: unknown[]): boolean {
  const last = messages[messages.length - 1];
  return (
    isRecord(last) && asArray(last.content).some((block) => isRecord(block) && block.type === 'tool_result')
  );
}

/** Top-level cache_control ("automatic caching") puts a breakpoint on the last block. */
function applyAutomaticBreakpoint(segments: PromptSegment[], body: Record<string, unknown>): void {
  const ttl = cacheTtl(body);
  const last = segments[segments.length - 1];
  if (ttl && last && !last.cacheTtl) last.cacheTtl = ttl;
}

export function messagesPrompt(body: Record<string, unknown>): PromptInfo {
  const rawTools = asArray(body.tools);
  const messages = asArray(body.messages);
  const segments = [
    ...toolSegments(rawTools),
    ...systemSegments(body.system),
    ...messages.flatMap(messageSegments),
  ];
  applyAutomaticBreakpoint(segments, body);
  const tools = anthropicTools(rawTools);
  return {
    segments,
    tokens: totalTokens(segments, 0),
    tools,
    afterToolResult: endsWithToolResult(messages),
    toolChoice: anthropicToolChoice(body.tool_choice, tools),
  };
}
