import type { ModelPrice } from './types.ts';

/** One priced entry of a source, with the id reported in quotes. */
export interface PricedModel {
  id: string;
  price: ModelPrice;
}

/** A source's entries, by provider and by bare model name (lower-cased names). */
export interface PriceIndex {
  byProvider: Map<string, Map<string, PricedModel>>;
  byModel: Map<string, PricedModel>;
}

export function createPriceIndex(): PriceIndex {
  return { byProvider: new Map(), byModel: new Map() };
}

/** Adds a name unless already taken; returns false when it was (the earlier entry wins). */
export function addToIndex(index: PriceIndex, provider: string, name: string, entry: PricedModel): boolean {
  let scoped = index.byProvider.get(provider);
  if (!scoped) {
    scoped = new Map();
    index.byProvider.set(provider, scoped);
  }
  if (scoped.has(name)) return false;
  scoped.set(name, entry);
  if (!index.byModel.has(name)) index.byModel.set(name, entry);
  return true;
}

/**
 * A provider this source knows is matched only within that provider (groq's
 * llama must not get another host's price); an unknown one falls back to
 * matching the model name alone.
 */
export function findInIndex(index: PriceIndex, provider: string, candidates: string[]): PricedModel | null {
  const names = index.byProvider.get(provider) ?? index.byModel;
  for (const name of candidates) {
    const hit = names.get(name);
    if (hit) return hit;
  }
  return null;
}
