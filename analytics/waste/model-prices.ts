import type { ModelPrice, PriceBook } from '../../pricing/types.ts';

/**
 * The cheaper model of the same vendor that usually handles short, simple requests well. Ordered:
 * the first pattern that matches wins. Only models the price catalog knows are named here.
 */
const CHEAPER_MODEL: ReadonlyArray<[RegExp, string]> = [
  [/gpt-4o(?!-mini)/, 'gpt-4o-mini'],
  [/gpt-4\.1(?!-(mini|nano))/, 'gpt-4.1-mini'],
  [/gpt-4(-turbo)?(-\d|$)/, 'gpt-4o-mini'],
  [/gpt-5(\.\d)?(-pro)?(-\d|$)/, 'gpt-5-mini'],
  [/^(o1|o3)(-pro)?(-\d|$)/, 'o4-mini'],
  [/claude-(opus|sonnet)-4-5/, 'claude-haiku-4-5'],
  [/claude-(opus-4|sonnet-4|3-7-sonnet|3-5-sonnet|3-opus)/, 'claude-3-5-haiku'],
];

export function cheaperModel(model: string): string | null {
  const bare = bareModel(model);
  for (const [pattern, cheaper] of CHEAPER_MODEL) if (pattern.test(bare)) return cheaper;
  return null;
}

/** "anthropic.claude-sonnet-4-20250514-v1:0" (Bedrock) -> "claude-sonnet-4-20250514". */
export function bareModel(model: string): string {
  return model
    .toLowerCase()
    .replace(/^(us|eu|apac|global)\./, '')
    .replace(/^(anthropic|openai|meta|mistral|amazon|cohere)\./, '')
    .replace(/-v\d+(:\d+)?$/, '');
}

/** The vendor whose list price applies, also for models billed by a cloud (Bedrock, Vertex, Azure). */
function vendorOf(provider: string, model: string): string {
  const bare = bareModel(model);
  if (bare.startsWith('claude')) return 'anthropic';
  if (/^(gpt|o\d|text-embedding|chatgpt)/.test(bare)) return 'openai';
  return provider;
}

export function listPrice(prices: PriceBook, provider: string, model: string): ModelPrice | null {
  return prices.lookup(vendorOf(provider, model), bareModel(model))?.price ?? null;
}
