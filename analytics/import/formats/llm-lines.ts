import type { CostRow } from '../../../contracts/cost.ts';

/** Which part of a model's tokens a cloud bill line charges for. */
export type TokenLineKind = 'input' | 'output' | 'cache-read' | 'cache-write';

const PATTERNS: ReadonlyArray<[RegExp, TokenLineKind]> = [
  [/cache[\s_-]*read|cached[\s_-]*input/i, 'cache-read'],
  [/cache[\s_-]*(write|creation)/i, 'cache-write'],
  [/output|completion|\bout\b|-outp?-/i, 'output'],
  [/input|prompt|\binp?\b|-inp-/i, 'input'],
];

/** Reads the token kind from a usage type, SKU or meter name ("USE1-Claude4Sonnet-input-tokens"). */
export function tokenLineKind(...descriptions: Array<string | null>): TokenLineKind | null {
  for (const text of descriptions) {
    if (!text || !/token/i.test(text)) continue;
    for (const [pattern, kind] of PATTERNS) if (pattern.test(text)) return kind;
  }
  return null;
}

/** Token columns for a bill line of one kind, following contracts/cost.ts (input is the whole prompt). */
export function tokenColumns(kind: TokenLineKind, tokens: number): Partial<CostRow> {
  switch (kind) {
    case 'input':
      return { inputTokens: tokens, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0 };
    case 'cache-read':
      return { inputTokens: tokens, cachedInputTokens: tokens, cacheWriteTokens: 0, outputTokens: 0 };
    case 'cache-write':
      return { inputTokens: tokens, cachedInputTokens: 0, cacheWriteTokens: tokens, outputTokens: 0 };
    case 'output':
      return { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: tokens };
  }
}

/** Token count of a quantity billed per 1K or 1M tokens ("1K tokens", "1M Tokens"), else as is. */
export function tokensFromQuantity(quantity: number, unit: string | null): number {
  const scale = /\b1\s*K\b|thousand/i.test(unit ?? '')
    ? 1_000
    : /\b1\s*M\b|million/i.test(unit ?? '')
      ? 1_000_000
      : 1;
  return Math.round(quantity * scale);
}

/** The model id inside a Bedrock resource ARN ("...:foundation-model/anthropic.claude-sonnet-4-...:0"). */
export function bedrockModel(resourceId: string | null): string | null {
  const match = /(?:foundation-model|inference-profile)\/([^/]+)$/.exec(resourceId ?? '');
  return match?.[1] ?? null;
}
