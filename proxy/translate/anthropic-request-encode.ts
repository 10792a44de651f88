/**
 * IR ChatRequest -> Anthropic Messages request body.
 * Reference: Anthropic API reference "Create a Message" (https://docs.anthropic.com/en/api/messages)
 * and @anthropic-ai/sdk MessageCreateParamsBase, Tool, ToolChoice*, ThinkingConfigEnabled, Metadata,
 * OutputConfig / JSONOutputFormat.
 */
import { encodeMessages, encodeSystem } from './anthropic-content-encode.ts';
import type { ChatRequest, ToolDefinition } from './ir.ts';

/**
 * max_tokens is required by the API but optional in OpenAI and Gemini requests. 4096 is the value
 * Anthropic's own examples use and a limit every current Claude model accepts, so a request without
 * one is not cut shorter than the client would expect nor refused for asking too much.
 */
export const DEFAULT_MAX_TOKENS = 4096;

export function encodeRequest(request: ChatRequest): Record<string, unknown> {
  const body: Record<string, unknown> = { model: request.model, max_tokens: maxTokens(request) };
  const system = encodeSystem(request.system);
  if (system !== undefined) body.system = system;
  body.messages = encodeMessages(request.messages);
  Object.assign(body, encodeTools(request));
  setIfPresent(body, 'temperature', request.temperature);
  setIfPresent(body, 'top_p', request.topP);
  setIfPresent(body, 'top_k', request.topK);
  if (request.stop.length > 0) body.stop_sequences = request.stop;
  if (request.stream) body.stream = true;
  if (request.thinkingBudget !== null)
    body.thinking = { type: 'enabled', budget_tokens: request.thinkingBudget };
  if (request.user !== null) body.metadata = { user_id: request.user };
  // json_object (JSON without a schema) has no Anthropic equivalent and is dropped, as is the name.
  const format = request.responseFormat;
  if (format?.type === 'json_schema')
    body.output_config = { format: { type: 'json_schema', schema: format.schema } };
  return body;
}

/** budget_tokens must stay below max_tokens, so the default leaves the usual room above the budget. */
function maxTokens(request: ChatRequest): number {
  if (request.maxTokens !== null) return request.maxTokens;
  return (request.thinkingBudget ?? 0) + DEFAULT_MAX_TOKENS;
}

function setIfPresent(body: Record<string, unknown>, key: string, value: number | null): void {
  if (value !== null) body[key] = value;
}

function encodeTool(tool: ToolDefinition): Record<string, unknown> {
  const encoded: Record<string, unknown> = { name: tool.name };
  if (tool.description !== null) encoded.description = tool.description;
  // input_schema.type must be "object"; OpenAI lets a function omit its schema altogether.
  encoded.input_schema =
    tool.parameters.type === undefined ? { type: 'object', ...tool.parameters } : tool.parameters;
  return encoded;
}

/**
 * tool_choice is sent only with tools (the API refuses it alone). Parallel calls are a flag on the
 * choice, so a preference without a choice rides on "auto", the default; "none" cannot carry it.
 */
function encodeTools(request: ChatRequest): Record<string, unknown> {
  if (request.tools.length === 0) return {};
  const out: Record<string, unknown> = { tools: request.tools.map(encodeTool) };
  const choice = request.toolChoice;
  const parallel = request.parallelToolCalls;
  if (choice?.type === 'none') return { ...out, tool_choice: { type: 'none' } };
  if (choice === null && parallel === null) return out;
  const wire: Record<string, unknown> =
    choice?.type === 'tool'
      ? { type: 'tool', name: choice.name }
      : { type: choice?.type === 'required' ? 'any' : 'auto' };
  if (parallel !== null) wire.disable_parallel_tool_use = !parallel;
  return { ...out, tool_choice: wire };
}
