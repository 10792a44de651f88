/**
 * Anthropic Messages request body -> IR ChatRequest.
 * Reference: Anthropic API reference "Create a Message" (https://docs.anthropic.com/en/api/messages)
 * and @anthropic-ai/sdk MessageCreateParamsBase, Tool, ToolChoice*, ThinkingConfig*, Metadata,
 * OutputConfig / JSONOutputFormat.
 */
import { isRecord } from '../../common/json.ts';
import { decodeMessages, decodeSystem } from './anthropic-content-decode.ts';
import { label } from './anthropic-lookup.ts';
import { TranslationError } from './ir.ts';
import type { ChatRequest, DecodeHints, ResponseFormat, ToolChoice, ToolDefinition } from './ir.ts';

export function decodeRequest(body: unknown, hints?: DecodeHints): ChatRequest {
  if (!isRecord(body)) throw new TranslationError('the request body must be a JSON object', null);
  const model = typeof body.model === 'string' ? body.model : hints?.model;
  if (model === undefined) throw new TranslationError('model is required', 'model');
  const choice = decodeToolChoice(body.tool_choice);
  return {
    model,
    system: decodeSystem(body.system),
    messages: decodeMessages(body.messages),
    tools: decodeTools(body.tools),
    toolChoice: choice.toolChoice,
    parallelToolCalls: choice.parallelToolCalls,
    maxTokens: optionalInteger(body.max_tokens, 'max_tokens'),
    temperature: optionalNumber(body.temperature, 'temperature'),
    topP: optionalNumber(body.top_p, 'top_p'),
    topK: optionalInteger(body.top_k, 'top_k'),
    stop: decodeStop(body.stop_sequences),
    stream: decodeStream(body.stream) || hints?.stream === true,
    responseFormat: decodeOutputConfig(body.output_config),
    thinkingBudget: decodeThinking(body.thinking),
    user: decodeUser(body.metadata),
  };
}

function optionalNumber(value: unknown, param: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new TranslationError(`${param} must be a number`, param);
  return value;
}

/** max_tokens 0 is valid (it only warms the prompt cache), so counts are non-negative integers. */
function optionalInteger(value: unknown, param: string): number | null {
  const number = optionalNumber(value, param);
  if (number !== null && (!Number.isSafeInteger(number) || number < 0)) {
    throw new TranslationError(`${param} must be a non-negative integer`, param);
  }
  return number;
}

function decodeStop(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new TranslationError('stop_sequences must be an array of strings', 'stop_sequences');
  }
  return value as string[];
}

function decodeStream(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw new TranslationError('stream must be a boolean', 'stream');
  return value;
}

function decodeUser(metadata: unknown): string | null {
  if (metadata === undefined || metadata === null) return null;
  if (!isRecord(metadata)) throw new TranslationError('metadata must be an object', 'metadata');
  const user = metadata.user_id;
  if (user === undefined || user === null) return null;
  if (typeof user !== 'string') throw new TranslationError('metadata.user_id must be a string', 'metadata');
  return user;
}

/**
 * Only custom tools (no type, or type "custom") are client functions the IR can carry; server tools
 * (web_search_*, bash_*, text_editor_*, ...) run on Anthropic's side and have no equivalent elsewhere.
 * cache_control, strict and input_examples on a tool are dropped.
 */
function decodeTools(raw: unknown): ToolDefinition[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new TranslationError('tools must be an array', 'tools');
  return raw.map((tool: unknown, i): ToolDefinition => {
    if (!isRecord(tool)) throw new TranslationError(`tools.${i} must be an object`, 'tools');
    if (tool.type !== undefined && tool.type !== null && tool.type !== 'custom') {
      throw new TranslationError(
        `tools.${i}: server tool type ${label(tool.type)} cannot be translated`,
        'tools',
      );
    }
    if (typeof tool.name !== 'string')
      throw new TranslationError(`tools.${i}.name must be a string`, 'tools');
    if (!isRecord(tool.input_schema)) {
      throw new TranslationError(`tools.${i}.input_schema must be an object`, 'tools');
    }
    const description = typeof tool.description === 'string' ? tool.description : null;
    return { name: tool.name, description, parameters: tool.input_schema };
  });
}

interface DecodedChoice {
  toolChoice: ToolChoice | null;
  parallelToolCalls: boolean | null;
}

function decodeToolChoice(raw: unknown): DecodedChoice {
  if (raw === undefined || raw === null) return { toolChoice: null, parallelToolCalls: null };
  if (!isRecord(raw)) throw new TranslationError('tool_choice must be an object', 'tool_choice');
  const disable = raw.disable_parallel_tool_use;
  const parallelToolCalls = typeof disable === 'boolean' ? !disable : null;
  return { toolChoice: toolChoiceOf(raw), parallelToolCalls };
}

function toolChoiceOf(raw: Record<string, unknown>): ToolChoice {
  switch (raw.type) {
    case 'auto':
      return { type: 'auto' };
    case 'any':
      return { type: 'required' };
    case 'none':
      return { type: 'none' };
    case 'tool':
      if (typeof raw.name !== 'string')
        throw new TranslationError('tool_choice.name must be a string', 'tool_choice');
      return { type: 'tool', name: raw.name };
    default:
      throw new TranslationError('tool_choice.type must be auto, any, tool or none', 'tool_choice');
  }
}

/**
 * Only a fixed budget maps to the IR. Adaptive thinking (the model picks its own budget) has no IR
 * equivalent, and turning it off silently would change the answer, so it is refused.
 */
function decodeThinking(raw: unknown): number | null {
  if (raw === undefined || raw === null) return null;
  if (!isRecord(raw)) throw new TranslationError('thinking must be an object', 'thinking');
  if (raw.type === 'disabled') return null;
  if (raw.type !== 'enabled') {
    throw new TranslationError(`thinking type ${label(raw.type)} cannot be translated`, 'thinking');
  }
  const budget = raw.budget_tokens;
  if (typeof budget !== 'number' || !Number.isSafeInteger(budget) || budget <= 0) {
    throw new TranslationError('thinking.budget_tokens must be a positive integer', 'thinking');
  }
  return budget;
}

/**
 * Structured outputs: output_config.format {type: "json_schema", schema}. Anthropic names no schema
 * and always enforces it, so the IR gets a fixed name and strict: true. Effort has no IR field.
 */
export const OUTPUT_SCHEMA_NAME = 'response';

function decodeOutputConfig(raw: unknown): ResponseFormat | null {
  if (raw === undefined || raw === null) return null;
  if (!isRecord(raw)) throw new TranslationError('output_config must be an object', 'output_config');
  const format = raw.format;
  if (format === undefined || format === null) return null;
  if (!isRecord(format) || format.type !== 'json_schema' || !isRecord(format.schema)) {
    throw new TranslationError('output_config.format must be {type: "json_schema", schema}', 'output_config');
  }
  return { type: 'json_schema', name: OUTPUT_SCHEMA_NAME, schema: format.schema, strict: true };
}
