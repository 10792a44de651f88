import type { TokenUsage } from '../contracts/usage.ts';
import type { ApexConfig, ProviderConfig } from './config/schema.ts';
import type { Pricing } from './forward/exchange.ts';
import { loadPriceBook } from '../pricing/catalog.ts';
import { costNanos } from '../pricing/cost.ts';
import type { PriceBook, PriceQuote } from '../pricing/types.ts';
import type { Deployment } from './router.ts';

/** OpenAI-compatible hosts whose prices the catalogs know under a provider id. */
const KNOWN_HOSTS: ReadonlyArray<readonly [string, string]> = [
  ['api.groq.com', 'groq'],
  ['api.deepseek.com', 'deepseek'],
  ['api.together.xyz', 'together'],
  ['api.mistral.ai', 'mistral'],
  ['openrouter.ai', 'openrouter'],
  ['api.fireworks.ai', 'fireworks'],
  ['api.x.ai', 'x-ai'],
  ['api.cerebras.ai', 'cerebras'],
  ['api.perplexity.ai', 'perplexity'],
  ['generativelanguage.googleapis.com', 'google'],
];

const SELF_HOSTED =
  /^(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|\[?::1\]?$|host\.docker\.internal)/;

/**
 * The price book's provider id for a deployment, or null for a self-hosted
 * server (vLLM, Ollama on this network): those cost nothing per token unless the
 * config prices them, and must never be priced as some cloud's model of the same name.
 */
export function pricingProviderOf(provider: ProviderConfig): string | null {
  if (provider.pricingProvider) return provider.pricingProvider;
  if (CLOUD_KINDS.has(provider.kind)) return provider.kind;
  // Azure's global deployments are list-priced like OpenAI's; a regional premium needs pricingProvider or a price.
  if (provider.kind === 'azure') return 'openai';
  if (provider.kind === 'gemini') return 'google';
  const host = new URL(provider.baseUrl).hostname;
  const known = KNOWN_HOSTS.find(([suffix]) => host === suffix || host.endsWith(`.${suffix}`));
  if (known) return known[1];
  return SELF_HOSTED.test(host) ? null : 'unknown';
}

/**
 * Kinds whose name is also the price book's provider id; the rest are priced by their host.
 * "bedrock" is LiteLLM's id and an alias of genai-prices' "aws", whose ids are Bedrock's own
 * (anthropic.claude-3-5-haiku-20241022-v1:0, with or without an inference profile's "us." prefix).
 */
const CLOUD_KINDS: ReadonlySet<string> = new Set([
  'openai',
  'anthropic',
  'bedrock',
  'mistral',
  'groq',
  'deepseek',
  'together',
  'openrouter',
]);

type Quoted = PriceQuote | 'self-hosted' | null;

/** Prices usage for a deployment; route-level prices win over every catalog. */
export async function createDeploymentPricing(config: ApexConfig, catalogFile?: string): Promise<Pricing> {
  const overrides: Record<string, NonNullable<ApexConfig['models'][number]['price']>> = {
    ...config.prices.overrides,
  };
  for (const route of config.models) {
    const provider = config.providers[route.provider];
    const pricingProvider = provider ? pricingProviderOf(provider) : null;
    if (route.price && !route.name.includes('*')) {
      overrides[`${pricingProvider ?? route.provider}/${route.model ?? route.name}`] = route.price;
    }
  }
  const book = await loadPriceBook({
    catalogFile,
    litellmFile: config.prices.litellm,
    overrides,
    fallback: true,
  });
  const memo = new Map<string, Quoted>();
  return {
    price(deployment: Deployment, modelServed: string | null, usage: TokenUsage) {
      const key = `${deployment.providerName}\0${deployment.upstreamModel}\0${modelServed ?? ''}`;
      let quote = memo.get(key);
      if (quote === undefined) {
        quote = quoteFor(book, deployment, modelServed);
        memo.set(key, quote);
      }
      if (quote === null) return { costNanos: 0, source: null };
      if (quote === 'self-hosted') return { costNanos: 0, source: 'self-hosted' };
      return { costNanos: costNanos(usage, quote.price), source: quote.source };
    },
  };
}

function quoteFor(book: PriceBook, deployment: Deployment, modelServed: string | null): Quoted {
  const provider = pricingProviderOf(deployment.provider);
  const lookupAs = provider ?? deployment.providerName;
  // Azure deployment names are the user's own: the client-facing model name is the next best guess.
  const routeName = deployment.route.name.includes('*') ? null : deployment.route.name;
  const quote =
    (modelServed ? book.lookup(lookupAs, modelServed) : null) ??
    book.lookup(lookupAs, deployment.upstreamModel) ??
    (routeName ? book.lookup(lookupAs, routeName) : null);
  if (provider === null) return quote?.source === 'override' ? quote : 'self-hosted';
  return quote;
}
