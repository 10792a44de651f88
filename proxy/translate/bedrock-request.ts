/**
 * Bedrock Converse / ConverseStream request body <-> IR ChatRequest. Reference: Bedrock API Reference
 * "Converse" (request syntax), "InferenceConfiguration", "ToolConfiguration", "Tool",
 * "ToolSpecification", "ToolChoice"; Anthropic-on-Bedrock model parameters for the
 * additionalModelRequestFields `top_k` and `thinking` ({type: "enabled", budget_tokens}).
 */
import { isRecord, stringField } from '../../common/json.ts';
import { TranslationError } from './ir.ts';
import type { ChatRequest, DecodeHints, ToolChoice, ToolDefinition } from './ir.ts';
import { decodeMessages, decodeSystem } from './bedrock-content-decode.ts';
import { encodeMessages, encodeSystem } from './bedrock-content-encode.ts';

/**
 * The model is in the URL, so it comes from hints; the body's modelId (what the SDK's command input
 * holds) is a fallback. Dropped on the way in: guardrailConfig, promptVariables, requestMetadata,
 * performanceConfig, additionalModelResponseFieldPaths and other additionalModelRequestFields.
 */
export function decodeBedrockRequest(body: unknown, hints: DecodeHints = {}): ChatRequest {
  if (!isRecord(body)) throw new TranslationError('request body must be a JSON object', null);
  const model = hints.model ?? stringField(body, 'modelId');
  if (model === null || model === '') throw new TranslationError('model id is required', 'modelId');
  const inference = decodeInference(body.inferenceConfig);
  const extra = decodeAdditional(body.additionalModelRequestFields);
  const tools = decodeToolConfig(body.toolConfig);
  return {
    model,
    system: decodeSystem(body.system),
    messages: decodeMessages(body.messages),
    tools: tools.tools,
    toolChoice: tools.toolChoice,
    parallelToolCalls: null,
    ...inference,
    ...extra,
    stream: hints.stream ?? false,
    responseFormat: null,
    user: null,
  };
}

type Inference = Pick<ChatRequest, 'maxTokens' | 'temperature' | 'topP' | 'stop'>;

function decodeInference(raw: unknown): Inference {
  if (raw === undefined || raw === null) return { maxTokens: null, temperature: null, topP: null, stop: [] };
  if (!isRecord(raw)) throw new TranslationError('inferenceConfig must be an object', 'inferenceConfig');
  return {
    maxTokens: optionalInteger(raw.maxTokens, 1, 'inferenceConfig.maxTokens'),
    temperature: optionalNumber(raw.temperature, 'inferenceConfig.temperature'),
    topP: optionalNumber(raw.topP, 'inferenceConfig.topP'),
    stop: decodeStop(raw.stopSequences),
  };
}

function decodeStop(raw: unknown): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || !raw.every((item) => typeof item === 'string')) {
    throw new TranslationError('stopSequences must be an array of strings', 'inferenceConfig.stopSequences');
  }
  return raw;
}

function optionalNumber(value: unknown, param: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TranslationError(`${param} must be a non-negative number`, param);
  }
  return value;
}

function optionalInteger(value: unknown, min: number, param: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new TranslationError(`${param} must be an integer >= ${min}`, param);
  }
  return value;
}

function decodeAdditional(raw: unknown): Pick<ChatRequest, 'topK' | 'thinkingBudget'> {
  if (!isRecord(raw)) return { topK: null, thinkingBudget: null };
  const thinking = raw.thinking;
  const enabled = isRecord(thinking) && thinking.type === 'enabled';
  return {
    topK: optionalInteger(raw.top_k, 0, 'additionalModelRequestFields.top_k'),
    thinkingBudget: enabled
      ? optionalInteger(thinking.budget_tokens, 1, 'additionalModelRequestFields.thinking.budget_tokens')
      : null,
  };
}

/** cachePoint entries among the tools are dropped: the IR's tool definitions carry no breakpoint. */
function decodeToolConfig(raw: unknown): { tools: ToolDefinition[]; toolChoice: ToolChoice | null } {
  if (raw === undefined || raw === null) return { tools: [], toolChoice: null };
  if (!isRecord(raw) || !Array.isArray(raw.tools)) {
    throw new TranslationError('toolConfig needs a tools array', 'toolConfig');
  }
  const tools = raw.tools.filter((tool) => !(isRecord(tool) && isRecord(tool.cachePoint))).map(decodeTool);
  return { tools, toolChoice: decodeToolChoice(raw.toolChoice) };
}

function decodeTool(raw: unknown): ToolDefinition {
  const spec = isRecord(raw) ? raw.toolSpec : undefined;
  const name = stringField(spec, 'name');
  const schema = isRecord(spec) && isRecord(spec.inputSchema) ? spec.inputSchema.json : undefined;
  if (name === null || !isRecord(schema)) {
    throw new TranslationError(
      'each tool needs toolSpec.name and toolSpec.inputSchema.json',
      'toolConfig.tools',
    );
  }
  return { name, description: stringField(spec, 'description'), parameters: schema };
}

function decodeToolChoice(raw: unknown): ToolChoice | null {
  if (raw === undefined || raw === null) return null;
  if (isRecord(raw) && isRecord(raw.auto)) return { type: 'auto' };
  if (isRecord(raw) && isRecord(raw.any)) return { type: 'required' };
  const name = isRecord(raw) ? stringField(raw.tool, 'name') : null;
  if (name !== null) return { type: 'tool', name };
  throw new TranslationError('toolChoice must be auto, any or tool', 'toolConfig.toolChoice');
}

/**
 * IR -> request body, without modelId (it goes in the URL: see bedrockPath). Dropped, as Converse
 * has no field for them: responseFormat, parallelToolCalls, user, and toolChoice "none" (Converse
 * cannot forbid tool use; the tools stay because history with toolUse blocks requires toolConfig).
 */
export function encodeBedrockRequest(request: ChatRequest): Record<string, unknown> {
  const body: Record<string, unknown> = { messages: encodeMessages(request.messages) };
  if (request.system.length > 0) body.system = encodeSystem(request.system);
  const inference = encodeInference(request);
  if (Object.keys(inference).length > 0) body.inferenceConfig = inference;
  if (request.tools.length > 0) body.toolConfig = encodeToolConfig(request);
  const extra = encodeAdditional(request);
  if (Object.keys(extra).length > 0) body.additionalModelRequestFields = extra;
  return body;
}

/** maxTokens is optional in Converse (the model's own default applies), so none is invented. */
function encodeInference(request: ChatRequest): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (request.maxTokens !== null) out.maxTokens = request.maxTokens;
  if (request.temperature !== null) out.temperature = request.temperature;
  if (request.topP !== null) out.topP = request.topP;
  if (request.stop.length > 0) out.stopSequences = request.stop;
  return out;
}

function encodeToolConfig(request: ChatRequest): Record<string, unknown> {
  const tools = request.tools.map((tool) => {
    const toolSpec: Record<string, unknown> = { name: tool.name };
    if (tool.description !== null) toolSpec.description = tool.description;
    toolSpec.inputSchema = { json: tool.parameters };
    return { toolSpec };
  });
  const config: Record<string, unknown> = { tools };
  const choice = request.toolChoice;
  if (choice?.type === 'auto') config.toolChoice = { auto: {} };
  else if (choice?.type === 'required') config.toolChoice = { any: {} };
  else if (choice?.type === 'tool') config.toolChoice = { tool: { name: choice.name } };
  return config;
}

/** The Anthropic-on-Bedrock names, the only family whose extra fields the IR carries. */
function encodeAdditional(request: ChatRequest): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (request.topK !== null) out.top_k = request.topK;
  if (request.thinkingBudget !== null)
    out.thinking = { type: 'enabled', budget_tokens: request.thinkingBudget };
  return out;
}
