import { estimatePromptTokens, memoizedCounter } from '../tokens.ts';
import { dedupeConversation } from './dedupe.ts';
import {
  conversationKey,
  conversationOf,
  isPrefill,
  mapArray,
  mapMessageTexts,
  mapSystemTexts,
  withField,
  type TextMapper,
} from './format.ts';
import { reduceToBudget } from './lossy.ts';
import { compactText } from './text.ts';
import { minifyToolDefinitions } from './tool-schema.ts';
import type { CompressibleEndpoint, CompressionOptions, CompressionResult, Json } from './types.ts';

export type { CompressibleEndpoint, CompressionOptions, CompressionResult } from './types.ts';

const STEP_ORDER = ['whitespace', 'json-minify', 'tool-schema', 'dedupe'];

/** Whitespace, JSON and tool-schema rewrites over every text of the request. */
function compactBody(endpoint: CompressibleEndpoint, body: Json, steps: Set<string>): Json {
  const compact: TextMapper = (text) => compactText(text, (step) => steps.add(step));
  let out = mapSystemTexts(endpoint, body, compact);
  const messages = conversationOf(endpoint, out);
  if (messages !== null) {
    const compacted = mapArray(messages, (message, index) =>
      isPrefill(messages, index) ? message : mapMessageTexts(endpoint, message, compact),
    );
    out = withField(out, conversationKey(endpoint), compacted);
  }
  const withTools = minifyToolDefinitions(endpoint, out);
  if (withTools !== out) steps.add('tool-schema');
  return withTools;
}

function dedupeBody(endpoint: CompressibleEndpoint, body: Json): Json {
  const messages = conversationOf(endpoint, body);
  return messages === null
    ? body
    : withField(body, conversationKey(endpoint), dedupeConversation(endpoint, messages));
}

function orderedSteps(steps: Set<string>): string[] {
  const rank = (step: string) => {
    const at = STEP_ORDER.indexOf(step);
    return at < 0 ? STEP_ORDER.length : at;
  };
  return [...steps].sort((a, b) => rank(a) - rank(b));
}

/**
 * Compresses a chat/messages/responses request body. Lossless rewrites never change what the
 * model can read; lossy trimming (opt-in) only runs above the token budget. The input is never
 * mutated, and an unchanged request comes back as the very same object.
 */
export function compressRequest(
  endpoint: CompressibleEndpoint,
  body: Record<string, unknown>,
  options: CompressionOptions,
): CompressionResult {
  const count = memoizedCounter();
  const tokensBefore = estimatePromptTokens(endpoint, body, count);
  const steps = new Set<string>();
  const compacted = options.lossless ? compactBody(endpoint, body, steps) : body;
  const deduped = new WeakSet<Json>();
  const finalize = (candidate: Json): Json => {
    if (!options.lossless) return candidate;
    const next = dedupeBody(endpoint, candidate);
    if (next !== candidate) deduped.add(next);
    return next;
  };
  let out = finalize(compacted);
  const overBudget = () => estimatePromptTokens(endpoint, out, count) > options.lossy.budgetTokens;
  if (options.lossy.enabled && overBudget()) {
    const lossy = reduceToBudget({ endpoint, body: compacted, options: options.lossy, finalize, count });
    if (lossy !== null) {
      out = lossy.body;
      steps.add(lossy.step);
    }
  }
  if (deduped.has(out)) steps.add('dedupe');
  const changed = out !== body;
  return {
    body: out,
    changed,
    tokensBefore,
    tokensAfter: changed ? estimatePromptTokens(endpoint, out, count) : tokensBefore,
    steps: orderedSteps(steps),
  };
}
