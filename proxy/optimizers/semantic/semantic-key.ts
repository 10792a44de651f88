import { createHash } from 'node:crypto';
import { canonicalJson, uncacheableReason, type CacheScope } from '../request-key.ts';
import { finalUserTurn, type FinalTurn, type SemanticEndpoint } from './final-turn.ts';

export type { SemanticEndpoint } from './final-turn.ts';

/** A request that may be answered by a cached answer to a similar question. */
export interface SemanticKey {
  /**
   * Hash of everything but the final user question: tenant, api, endpoint, namespace label and the
   * whole request body (model, system prompt, tools, response format, sampling, earlier turns).
   */
  namespaceKey: string;
  /** The final user question, compared by meaning against earlier ones in the same namespace. */
  queryText: string;
  /** The namespace label, for per-namespace thresholds. */
  namespace: string;
}

export type SemanticEligibility = SemanticKey | { reason: string };

export interface SemanticKeyOptions {
  /** Allow requests that sample (temperature > 0 or unset): the caller accepts one fixed answer. */
  allowSampling: boolean;
  /**
   * Longer questions are not cached: the embedding model reads only its first ~128 tokens, so two
   * long questions differing past that point would look identical.
   */
  maxQueryChars?: number;
}

export const DEFAULT_MAX_QUERY_CHARS = 500;

/** Stands in for the final question in the namespace hash; any fixed value works. */
const PLACEHOLDER = '\u0000apex-semantic-query\u0000';

/** The key a semantic lookup uses, or the reason this request must go upstream. */
export function semanticKey(
  scope: CacheScope,
  namespace: string,
  endpoint: SemanticEndpoint,
  body: Record<string, unknown>,
  options: SemanticKeyOptions,
): SemanticEligibility {
  if (endpoint === 'embeddings') return { reason: 'embeddings are never answered from the semantic cache' };
  const unsafe = uncacheableReason(body, options.allowSampling);
  if (unsafe) return { reason: unsafe };
  const turn = finalUserTurn(endpoint, body);
  if ('reason' in turn) return turn;
  const queryText = turn.text.trim();
  if (queryText.length === 0) return { reason: 'final message has no text' };
  const maxChars = options.maxQueryChars ?? DEFAULT_MAX_QUERY_CHARS;
  if (queryText.length > maxChars) return { reason: `final message is longer than ${maxChars} characters` };
  return {
    namespaceKey: namespaceKey(scope, namespace, endpoint, withoutFinalTurn(body, turn)),
    queryText,
    namespace,
  };
}

function namespaceKey(
  scope: CacheScope,
  namespace: string,
  endpoint: SemanticEndpoint,
  rest: Record<string, unknown>,
): string {
  const hash = createHash('sha256');
  // Unit separators keep ("a", "bc") and ("ab", "c") apart.
  hash.update(['semantic-v1', scope.tenant, scope.api, scope.endpoint, endpoint, namespace].join('\u001f'));
  hash.update('\u001f');
  hash.update(canonicalJson(rest, true));
  return hash.digest('base64url');
}

/**
 * The body with only the final question's text blanked: its role, name and every other field stay,
 * so any difference outside the question itself separates namespaces.
 */
function withoutFinalTurn(body: Record<string, unknown>, turn: FinalTurn): Record<string, unknown> {
  if (turn.index === null) return { ...body, [turn.field]: PLACEHOLDER };
  const items = [...(body[turn.field] as unknown[])];
  const last = items[turn.index];
  items[turn.index] =
    typeof last === 'string' ? PLACEHOLDER : { ...(last as Record<string, unknown>), content: PLACEHOLDER };
  return { ...body, [turn.field]: items };
}
