/**
 * Chat Completions tools and tool_choice <-> IR. The legacy `functions` / `function_call`
 * parameters are decoded into the same IR (they are deprecated, so never encoded); the
 * function's `strict` flag has no IR field and is dropped.
 */
import { isRecord } from '../../common/json.ts';
import { TranslationError } from './ir.ts';
import type { ToolChoice, ToolDefinition } from './ir.ts';

/** OpenAI: omitting parameters defines a function that takes no arguments. */
const NO_PARAMETERS: Readonly<Record<string, unknown>> = Object.freeze({ type: 'object', properties: {} });

export function decodeTools(body: Record<string, unknown>): ToolDefinition[] {
  const tools = listField(body, 'tools').map((tool, i) => decodeTool(tool, `tools[${i}]`));
  const functions = listField(body, 'functions').map((fn, i) => decodeFunction(fn, `functions[${i}]`));
  return [...tools, ...functions];
}

function listField(body: Record<string, unknown>, key: string): unknown[] {
  const value = body[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new TranslationError(`${key} must be an array`, key);
  return value;
}

function decodeTool(tool: unknown, param: string): ToolDefinition {
  if (!isRecord(tool)) throw new TranslationError(`${param} must be an object`, param);
  if (tool.type !== 'function') {
    throw new TranslationError(
      `${param}.type ${JSON.stringify(tool.type)} cannot be translated`,
      `${param}.type`,
    );
  }
  return decodeFunction(tool.function, `${param}.function`);
}

function decodeFunction(fn: unknown, param: string): ToolDefinition {
  if (!isRecord(fn) || typeof fn.name !== 'string' || fn.name === '') {
    throw new TranslationError(`${param}.name is required`, `${param}.name`);
  }
  const parameters = fn.parameters;
  if (parameters !== undefined && parameters !== null && !isRecord(parameters)) {
    throw new TranslationError(`${param}.parameters must be an object`, `${param}.parameters`);
  }
  return {
    name: fn.name,
    description: typeof fn.description === 'string' ? fn.description : null,
    parameters: parameters ?? { ...NO_PARAMETERS },
  };
}

/** tool_choice wins over the legacy function_call when a client sends both. */
export function decodeToolChoice(body: Record<string, unknown>): ToolChoice | null {
  const choice = body.tool_choice;
  if (choice !== undefined && choice !== null) return choiceOf(choice, 'tool_choice');
  const legacy = body.function_call;
  if (legacy !== undefined && legacy !== null) return choiceOf(legacy, 'function_call');
  return null;
}

function choiceOf(value: unknown, param: string): ToolChoice {
  if (value === 'auto' || value === 'none' || value === 'required') return { type: value };
  const name = namedChoice(value, param);
  if (name !== null) return { type: 'tool', name };
  // allowed_tools and custom-tool choices have no IR counterpart.
  throw new TranslationError(`${param} ${JSON.stringify(value)} is not supported`, param);
}

/** {type:'function', function:{name}} for tool_choice, {name} for legacy function_call. */
function namedChoice(value: unknown, param: string): string | null {
  if (!isRecord(value)) return null;
  if (param === 'function_call') return typeof value.name === 'string' ? value.name : null;
  if (value.type !== 'function' || !isRecord(value.function)) return null;
  return typeof value.function.name === 'string' ? value.function.name : null;
}

export function encodeTools(tools: ToolDefinition[]): Array<Record<string, unknown>> {
  return tools.map((tool) => ({
    type: 'function',
    function: {
      name: tool.name,
      ...(tool.description !== null ? { description: tool.description } : {}),
      parameters: tool.parameters,
    },
  }));
}

export function encodeToolChoice(choice: ToolChoice): unknown {
  if (choice.type === 'tool') return { type: 'function', function: { name: choice.name } };
  return choice.type;
}
