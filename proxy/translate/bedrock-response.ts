/**
 * Bedrock Converse response body <-> IR ChatResponse. Reference: Bedrock API Reference "Converse"
 * (response syntax: output.message, stopReason, usage, metrics, additionalModelResponseFields),
 * "ContentBlock", "ReasoningContentBlock", "TokenUsage".
 */
import { randomUUID } from 'node:crypto';
import { isRecord, stringField } from '../../common/json.ts';
import { ZERO_USAGE } from '../../contracts/usage.ts';
import { TranslationError } from './ir.ts';
import type { ChatResponse, TextPart, ThinkingPart, ToolCallPart } from './ir.ts';
import { decodeReasoning } from './bedrock-content-decode.ts';
import {
  stopReasonFromBedrock,
  stopReasonToBedrock,
  usageFromBedrock,
  usageToBedrock,
} from './bedrock-usage.ts';

type ResponsePart = TextPart | ToolCallPart | ThinkingPart;

/** Bedrock bodies carry neither id nor model: ids are generated, and the caller fills in the model. */
export function newBedrockId(): string {
  return `bedrock-${randomUUID()}`;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * The stop sequence is reported only when the request asked for it with
 * additionalModelResponseFieldPaths ["/stop_sequence"] (Anthropic models).
 */
export function stopSequenceOf(additional: unknown): string | null {
  return stringField(additional, 'stop_sequence');
}

export function decodeBedrockResponse(body: unknown): ChatResponse {
  const message = isRecord(body) && isRecord(body.output) ? body.output.message : undefined;
  if (!isRecord(body) || !isRecord(message) || !Array.isArray(message.content)) {
    throw new TranslationError('response needs output.message.content', 'output');
  }
  return {
    id: newBedrockId(),
    model: '',
    content: message.content.flatMap(decodeResponseBlock),
    stopReason: stopReasonFromBedrock(body.stopReason),
    stopSequence: stopSequenceOf(body.additionalModelResponseFields),
    usage: usageFromBedrock(body.usage) ?? { ...ZERO_USAGE },
    created: nowSeconds(),
  };
}

/** Blocks the IR's answers cannot hold (citations, images, guard content) are skipped, not fatal. */
function decodeResponseBlock(block: unknown): ResponsePart[] {
  if (!isRecord(block)) return [];
  if (typeof block.text === 'string') return [{ type: 'text', text: block.text }];
  const toolUse = block.toolUse;
  if (isRecord(toolUse)) {
    const id = stringField(toolUse, 'toolUseId');
    const name = stringField(toolUse, 'name');
    if (id === null || name === null) return [];
    return [{ type: 'tool_call', id, name, arguments: JSON.stringify(toolUse.input ?? {}) }];
  }
  const thinking = block.reasoningContent === undefined ? null : decodeReasoning(block.reasoningContent);
  return thinking === null ? [] : [thinking];
}

/**
 * metrics.latencyMs is required by the reference but unknown to the IR: 0 says "not measured".
 * A known stop sequence is reported the way Anthropic models on Bedrock report it.
 */
export function encodeBedrockResponse(response: ChatResponse): Record<string, unknown> {
  const body: Record<string, unknown> = {
    output: { message: { role: 'assistant', content: response.content.map(encodeResponsePart) } },
    stopReason: stopReasonToBedrock(response.stopReason),
    usage: usageToBedrock(response.usage),
    metrics: { latencyMs: 0 },
  };
  if (response.stopSequence !== null)
    body.additionalModelResponseFields = { stop_sequence: response.stopSequence };
  return body;
}

function encodeResponsePart(part: ResponsePart): Record<string, unknown> {
  if (part.type === 'text') return { text: part.text };
  if (part.type === 'tool_call') {
    return { toolUse: { toolUseId: part.id, name: part.name, input: parseOutputArguments(part.arguments) } };
  }
  if (part.redacted !== undefined) return { reasoningContent: { redactedContent: part.redacted } };
  const reasoningText: Record<string, unknown> = { text: part.text };
  if (part.signature !== null) reasoningText.signature = part.signature;
  return { reasoningContent: { reasoningText } };
}

/**
 * A model's arguments may be cut short (max_tokens): the answer still goes out. ToolUseBlock.input
 * is a Document (any JSON value), so unparseable text travels as a JSON string, unaltered.
 */
function parseOutputArguments(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
