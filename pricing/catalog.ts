import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { createGenaiPricesFallback, type FallbackPricer } from './genai.ts';
import { loadLiteLLMFile } from './litellm.ts';
import { modelNameCandidates, normalizeName } from './names.ts';
import {
  addToIndex,
  createPriceIndex,
  findInIndex,
  type PriceIndex,
  type PricedModel,
} from './price-index.ts';
import { resourcePath } from '../common/resources.ts';
import { catalogFileSchema, parseOverrides, toModelPrice, type UsdPrice } from './schema.ts';
import type { PriceBook, PriceQuote, PriceSource } from './types.ts';

export const DEFAULT_CATALOG_FILE = resourcePath('prices/catalog.json');

// Model names come from clients; a cap keeps a stream of made-up names from growing the memo forever.
const MEMO_LIMIT = 10_000;

export interface PriceBookOptions {
  /** Curated catalog; the bundled resources/prices/catalog.json when omitted, none when null. */
  catalogFile?: string | null;
  /** A LiteLLM model_prices_and_context_window.json to consult after the catalog. */
  litellmFile?: string;
  /** User prices, keyed "provider/model" or bare "model", in the catalog's USD-per-1M shape. */
  overrides?: Record<string, UsdPrice>;
  /** Consult @pydantic/genai-prices for models no other source prices (default true), or a custom pricer. */
  fallback?: boolean | FallbackPricer;
}

/** The sources a price book consults, most trusted first. */
export interface PriceSources {
  overrides?: Map<string, PricedModel>;
  catalog?: PriceIndex;
  litellm?: PriceIndex;
  fallback?: FallbackPricer | null;
}

export async function loadPriceBook(options: PriceBookOptions = {}): Promise<PriceBook> {
  const catalogFile = options.catalogFile === undefined ? DEFAULT_CATALOG_FILE : options.catalogFile;
  const fallback = options.fallback ?? true;
  return createPriceBook({
    overrides: indexOverrides(options.overrides ?? {}),
    catalog: catalogFile === null ? createPriceIndex() : await loadCatalogFile(catalogFile),
    litellm: options.litellmFile ? await loadLiteLLMFile(options.litellmFile) : createPriceIndex(),
    fallback: fallback === true ? createGenaiPricesFallback() : fallback || null,
  });
}

/** Lookup order: overrides > catalog > LiteLLM > genai-prices; every answer, misses included, is memoized. */
export function createPriceBook(sources: PriceSources): PriceBook {
  const memo = new Map<string, PriceQuote | null>();
  return {
    lookup(provider, model) {
      const key = `${provider}\n${model}`;
      const known = memo.get(key);
      if (known !== undefined) return known;
      const quote = resolve(sources, normalizeName(provider), modelNameCandidates(model));
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(key, quote);
      return quote;
    },
  };
}

function resolve(sources: PriceSources, provider: string, candidates: string[]): PriceQuote | null {
  if (candidates.length === 0) return null;
  return (
    fromOverrides(sources.overrides, provider, candidates) ??
    fromIndex(sources.catalog, 'catalog', provider, candidates) ??
    fromIndex(sources.litellm, 'litellm', provider, candidates) ??
    sources.fallback?.(provider, candidates) ??
    null
  );
}

function fromOverrides(
  overrides: Map<string, PricedModel> | undefined,
  provider: string,
  candidates: string[],
): PriceQuote | null {
  if (!overrides || overrides.size === 0) return null;
  for (const name of candidates) {
    const hit = overrides.get(`${provider}/${name}`) ?? overrides.get(name);
    if (hit) return { price: hit.price, source: 'override', id: hit.id };
  }
  return null;
}

function fromIndex(
  index: PriceIndex | undefined,
  source: PriceSource,
  provider: string,
  candidates: string[],
): PriceQuote | null {
  const hit = index ? findInIndex(index, provider, candidates) : null;
  return hit && { price: hit.price, source, id: hit.id };
}

export function indexOverrides(raw: Record<string, UsdPrice>): Map<string, PricedModel> {
  const index = new Map<string, PricedModel>();
  for (const [key, usd] of parseOverrides(raw)) {
    index.set(normalizeName(key), { id: key, price: toModelPrice(usd, `override ${key}`) });
  }
  return index;
}

export async function loadCatalogFile(file: string): Promise<PriceIndex> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`price catalog ${file}: ${(error as Error).message}`, { cause: error });
  }
  return indexCatalog(raw, file);
}

/** Validates the whole catalog up front: a bad price should stop startup, not misprice requests. */
export function indexCatalog(raw: unknown, where = 'price catalog'): PriceIndex {
  const parsed = catalogFileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${where}:\n${z.prettifyError(parsed.error)}`);
  const index = createPriceIndex();
  for (const entry of parsed.data.models) {
    const provider = normalizeName(entry.provider);
    const id = `${provider}/${entry.model}`;
    const priced = { id, price: toModelPrice(entry, `${where}: ${id}`) };
    for (const name of [entry.model, ...(entry.aliases ?? [])]) {
      if (!addToIndex(index, provider, normalizeName(name), priced)) {
        throw new Error(`${where}: ${provider}/${name} is listed twice`);
      }
    }
  }
  return index;
}
