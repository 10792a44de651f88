/**
 * Shared prompt accounting. Real providers tokenize with BPE; the simulator
 * only needs counts that scale the way real ones do, so it uses the usual
 * rule of thumb (about four characters a token) and a few tokens of framing
 * per message, with no tokenizer dependency.
 */

const CHARS_PER_TOKEN = 4;
/** Flat charge for a picture: a high-detail OpenAI image tile set costs about this much. */
export const IMAGE_TOKENS = 765;

/** One cacheable unit of a prompt, in the order the provider sees it. */
export interface PromptSegment {
  text: string;
  tokens: number;
  /** Set when an Anthropic block carries cache_control: a cache breakpoint. */
  cacheTtl?: '5m' | '1h';
}

export interface ToolSpec {
  name: string;
  parameters: unknown;
}

/** What the handlers need to know about a request's prompt. */
export interface PromptInfo {
  segments: PromptSegment[];
  tokens: number;
  tools: ToolSpec[];
  /** The caller just returned a tool result: the model is likely to answer in prose now. */
  afterToolResult: boolean;
  /** Whether the caller allows, forbids or forces a tool call. */
  toolChoice: 'auto' | 'none' | 'required';
}

export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / CHARS_PER_TOKEN);
}

export function segment(text: string, extraTokens = 0): PromptSegment {
  return { text, tokens: estimateTokens(text) + extraTokens };
}

export function totalTokens(segments: readonly PromptSegment[], overhead: number): number {
  return segments.reduce((sum, part) => sum + part.tokens, overhead);
}

/** Everything the prompt says, for seeding: identical prompts yield identical answers under a seed. */
export function promptFingerprint(segments: readonly PromptSegment[]): string {
  return segments.map((part) => part.text).join('\u0001');
}

export { isRecord } from '../../common/json.ts';

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return JSON.stringify(value);
}

/** Counts a whole JSON value as text: tool schemas and arguments are billed as their serialized form. */
export function jsonSegment(value: unknown): PromptSegment {
  return segment(JSON.stringify(value ?? null));
}

export function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 1 ? Math.floor(value) : undefined;
}
