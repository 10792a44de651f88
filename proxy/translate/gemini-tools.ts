/**
 * Gemini tools and toolConfig (v1beta REST reference, Tool, FunctionDeclaration, ToolConfig,
 * FunctionCallingConfig) <-> IR tools and toolChoice.
 *
 * Only functionDeclarations have an IR form; a request asking for googleSearch, codeExecution,
 * urlContext or other built-in tools is refused. Modes: AUTO -> auto, NONE -> none, ANY ->
 * required, ANY with one allowed name -> that tool; ANY with a subset of several names has no IR
 * choice, so the tool list is narrowed to them instead (the model can call exactly the same
 * functions). VALIDATED (calls optional, but schema-constrained) reads as auto.
 */
import { isRecord } from '../../common/json.ts';
import { TranslationError } from './ir.ts';
import type { ToolChoice, ToolDefinition } from './ir.ts';
import { field, textField } from './gemini-fields.ts';
import { declaresNoParameters, fromGeminiSchema, toGeminiSchema } from './gemini-schema.ts';

/** Tools Google runs itself: no other provider can run them for a Gemini client. */
const BUILT_IN_TOOLS = [
  'googleSearch',
  'googleSearchRetrieval',
  'codeExecution',
  'urlContext',
  'computerUse',
  'fileSearch',
  'googleMaps',
  'retrieval',
  'enterpriseWebSearch',
];

export function decodeTools(value: unknown): ToolDefinition[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new TranslationError('tools must be an array', 'tools');
  return value.flatMap((tool, i) => {
    const path = `tools[${i}]`;
    if (!isRecord(tool)) throw new TranslationError(`${path} must be an object`, path);
    const declarations = field(tool, 'functionDeclarations');
    const builtIn = BUILT_IN_TOOLS.find((kind) => field(tool, kind) !== undefined);
    if (builtIn) throw new TranslationError(`tool ${builtIn} is not supported`, `${path}.${builtIn}`);
    if (declarations === undefined) return [];
    if (!Array.isArray(declarations)) {
      throw new TranslationError(
        `${path}.functionDeclarations must be an array`,
        `${path}.functionDeclarations`,
      );
    }
    return declarations.map((d, j) => decodeDeclaration(d, `${path}.functionDeclarations[${j}]`));
  });
}

function decodeDeclaration(value: unknown, path: string): ToolDefinition {
  if (!isRecord(value)) throw new TranslationError(`${path} must be an object`, path);
  const name = textField(value, 'name');
  if (!name) throw new TranslationError(`${path}.name is required`, `${path}.name`);
  const jsonSchema = field(value, 'parametersJsonSchema');
  const schema = field(value, 'parameters');
  let parameters: Record<string, unknown> = { type: 'object', properties: {} };
  if (isRecord(jsonSchema)) parameters = jsonSchema;
  else if (isRecord(schema)) parameters = fromGeminiSchema(schema);
  else if (schema !== undefined && schema !== null) {
    throw new TranslationError(`${path}.parameters must be an object`, `${path}.parameters`);
  }
  return { name, description: textField(value, 'description'), parameters };
}

export interface ToolSelection {
  tools: ToolDefinition[];
  toolChoice: ToolChoice | null;
}

const PATH = 'toolConfig.functionCallingConfig';

export function decodeToolConfig(value: unknown, tools: ToolDefinition[]): ToolSelection {
  if (value === undefined || value === null) return { tools, toolChoice: null };
  const config = field(value, 'functionCallingConfig');
  if (!isRecord(value) || (config !== undefined && !isRecord(config))) {
    throw new TranslationError('toolConfig must be an object', 'toolConfig');
  }
  const mode = textField(config, 'mode');
  if (mode === null || mode === 'MODE_UNSPECIFIED') return { tools, toolChoice: null };
  if (mode === 'AUTO' || mode === 'VALIDATED') return { tools, toolChoice: { type: 'auto' } };
  if (mode === 'NONE') return { tools, toolChoice: { type: 'none' } };
  if (mode !== 'ANY') throw new TranslationError(`unknown function calling mode ${mode}`, `${PATH}.mode`);
  return anyMode(allowedNames(field(config, 'allowedFunctionNames')), tools);
}

function allowedNames(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((n) => typeof n === 'string')) {
    throw new TranslationError(
      'allowedFunctionNames must be an array of strings',
      `${PATH}.allowedFunctionNames`,
    );
  }
  return value;
}

function anyMode(names: string[], tools: ToolDefinition[]): ToolSelection {
  const allowed = new Set(names);
  const [only] = allowed;
  if (allowed.size === 1 && only !== undefined) return { tools, toolChoice: { type: 'tool', name: only } };
  const narrowed = tools.filter((t) => allowed.has(t.name));
  if (allowed.size === 0 || narrowed.length === 0 || narrowed.length === tools.length)
    return { tools, toolChoice: { type: 'required' } };
  return { tools: narrowed, toolChoice: { type: 'required' } };
}

export function encodeTools(tools: ToolDefinition[]): Record<string, unknown>[] {
  if (tools.length === 0) return [];
  return [{ functionDeclarations: tools.map(encodeDeclaration) }];
}

function encodeDeclaration(tool: ToolDefinition): Record<string, unknown> {
  const out: Record<string, unknown> = { name: tool.name };
  if (tool.description !== null) out.description = tool.description;
  const parameters = toGeminiSchema(tool.parameters);
  if (!declaresNoParameters(parameters)) out.parameters = parameters;
  return out;
}

export function encodeToolChoice(choice: ToolChoice | null): Record<string, unknown> | null {
  if (choice === null) return null;
  switch (choice.type) {
    case 'auto':
      return { functionCallingConfig: { mode: 'AUTO' } };
    case 'none':
      return { functionCallingConfig: { mode: 'NONE' } };
    case 'required':
      return { functionCallingConfig: { mode: 'ANY' } };
    case 'tool':
      return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.name] } };
  }
}
