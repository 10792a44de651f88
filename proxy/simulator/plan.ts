/**
 * Decides what a simulated model "says" for one request: how many hidden
 * reasoning tokens it spends, whether it calls a tool, the visible text, and
 * why it stopped. Every API flavor renders the same plan in its own format,
 * which is what makes streamed and non-streamed answers agree.
 */
import type { ModelSpec } from './models.ts';
import { estimateTokens, isRecord, type PromptInfo, type ToolSpec } from './prompt.ts';
import type { Rng } from './random.ts';
import { answerPieces, phrase } from './text.ts';

export type FinishReason = 'stop' | 'length' | 'tool';
export type ReasoningEffort = 'minimal' | 'low' | 'medium' | 'high';

export interface ToolCallPlan {
  name: string;
  /** JSON text of the arguments. */
  arguments: string;
}

export interface GenerationPlan {
  /** Visible text as token-sized pieces. */
  pieces: string[];
  text: string;
  toolCall?: ToolCallPlan;
  reasoningTokens: number;
  /** Everything billed as output: visible text, tool call and reasoning. */
  outputTokens: number;
  finish: FinishReason;
}

export interface PlanRequest {
  model: ModelSpec;
  prompt: PromptInfo;
  maxTokens: number | undefined;
  effort?: ReasoningEffort;
  /** Anthropic models usually say a sentence before a tool call; OpenAI models call straight away. */
  prefaceToolCalls: boolean;
}

const REASONING_MEDIAN = 320;
const EFFORT_FACTOR: Record<ReasoningEffort, number> = { minimal: 0.05, low: 0.4, medium: 1, high: 2.5 };
const TOOL_CALL_FRAMING_TOKENS = 8;
/** With a cap, most answers stop well short of it; a few run into it. */
const CAP_MEDIAN_SHARE = 0.4;

function reasoningTokens(rng: Rng, request: PlanRequest, cap: number): number {
  if (!request.model.reasoning) return 0;
  const median = REASONING_MEDIAN * EFFORT_FACTOR[request.effort ?? 'medium'];
  return Math.min(cap, Math.max(0, Math.round(rng.logNormal(median, 0.7))));
}

function wantsToolCall(rng: Rng, prompt: PromptInfo): boolean {
  if (prompt.tools.length === 0 || prompt.toolChoice === 'none') return false;
  if (prompt.toolChoice === 'required') return true;
  return rng.chance(prompt.afterToolResult ? 0.25 : 0.7);
}

function sampleValue(rng: Rng, schema: unknown, depth: number): unknown {
  const spec = isRecord(schema) ? schema : {};
  if (Array.isArray(spec.enum) && spec.enum.length > 0) return rng.pick(spec.enum);
  switch (spec.type) {
    case 'integer':
      return rng.int(1, 100);
    case 'number':
      return Math.round(rng.uniform(0, 100) * 100) / 100;
    case 'boolean':
      return rng.chance(0.5);
    case 'array':
      return [sampleValue(rng, spec.items, depth + 1)];
    case 'object':
      return depth < 3 ? sampleObject(rng, spec, depth + 1) : {};
    default:
      return phrase(rng);
  }
}

function sampleObject(rng: Rng, schema: Record<string, unknown>, depth: number): Record<string, unknown> {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const names = Object.keys(properties);
  if (names.length === 0) return { query: phrase(rng) };
  return Object.fromEntries(names.map((name) => [name, sampleValue(rng, properties[name], depth)]));
}

function planToolCall(rng: Rng, tools: readonly ToolSpec[]): ToolCallPlan {
  const tool = rng.pick(tools);
  const parameters = isRecord(tool.parameters) ? tool.parameters : {};
  return { name: tool.name, arguments: JSON.stringify(sampleObject(rng, parameters, 0)) };
}

function toolCallTokens(call: ToolCallPlan): number {
  return estimateTokens(call.arguments) + estimateTokens(call.name) + TOOL_CALL_FRAMING_TOKENS;
}

function textPlan(rng: Rng, request: PlanRequest, room: number, reasoning: number): GenerationPlan {
  const median = Math.min(request.model.outputMedianTokens, Math.max(2, room * CAP_MEDIAN_SHARE));
  const target = Math.max(1, Math.round(rng.logNormal(median, 0.75)));
  const full = room > 0 ? answerPieces(rng, target) : [];
  const pieces = full.slice(0, room);
  const finish: FinishReason = pieces.length < full.length || room === 0 ? 'length' : 'stop';
  return {
    pieces,
    text: pieces.join(''),
    reasoningTokens: reasoning,
    outputTokens: reasoning + pieces.length,
    finish,
  };
}

function toolPlan(
  rng: Rng,
  request: PlanRequest,
  room: number,
  reasoning: number,
): GenerationPlan | undefined {
  const toolCall = planToolCall(rng, request.prompt.tools);
  const pieces = request.prefaceToolCalls ? answerPieces(rng, rng.int(6, 14)) : [];
  const tokens = pieces.length + toolCallTokens(toolCall);
  if (tokens > room) return undefined;
  const text = pieces.join('');
  return {
    pieces,
    text,
    toolCall,
    reasoningTokens: reasoning,
    outputTokens: reasoning + tokens,
    finish: 'tool',
  };
}

export function planGeneration(rng: Rng, request: PlanRequest): GenerationPlan {
  const modelCap = request.model.maxOutputTokens;
  const cap = Math.min(request.maxTokens ?? modelCap, modelCap);
  const reasoning = reasoningTokens(rng, request, cap);
  const room = cap - reasoning;
  const tool = wantsToolCall(rng, request.prompt) ? toolPlan(rng, request, room, reasoning) : undefined;
  return tool ?? textPlan(rng, request, room, reasoning);
}
