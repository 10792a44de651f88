import { readFile } from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';
import {
  createPriceBook,
  DEFAULT_CATALOG_FILE,
  indexCatalog,
  indexOverrides,
  loadPriceBook,
} from '../../pricing/catalog.ts';
import { modelNameCandidates } from '../../pricing/names.ts';

const REQUIRED = {
  openai: [
    'gpt-5',
    'gpt-5-mini',
    'gpt-5-nano',
    'gpt-4.1',
    'gpt-4.1-mini',
    'gpt-4.1-nano',
    'gpt-4o',
    'gpt-4o-2024-05-13',
    'gpt-4o-mini',
    'o1',
    'o3',
    'o3-mini',
    'o4-mini',
    'gpt-3.5-turbo',
    'text-embedding-3-small',
    'text-embedding-3-large',
    'text-embedding-ada-002',
  ],
  anthropic: [
    'claude-opus-4-5',
    'claude-opus-4-1',
    'claude-opus-4',
    'claude-sonnet-4-5',
    'claude-sonnet-4',
    'claude-3-7-sonnet',
    'claude-haiku-4-5',
    'claude-3-5-haiku',
    'claude-3-haiku',
  ],
};

async function catalogJson(): Promise<{ models: Array<Record<string, unknown>> }> {
  return JSON.parse(await readFile(DEFAULT_CATALOG_FILE, 'utf8'));
}

describe('resources/prices/catalog.json', () => {
  it('validates and covers the required models', async () => {
    const raw = await catalogJson();
    const index = indexCatalog(raw);
    for (const [provider, models] of Object.entries(REQUIRED)) {
      for (const model of models) expect(index.byProvider.get(provider)?.has(model), model).toBe(true);
    }
  });

  it('writes every price as a decimal string with a date and an https source', async () => {
    const raw = await catalogJson();
    for (const entry of raw.models) {
      for (const field of ['input', 'output', 'cachedInput', 'cacheWrite', 'cacheWrite1h']) {
        if (field in entry) expect(typeof entry[field], `${String(entry.model)}.${field}`).toBe('string');
      }
      expect(entry.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(entry.source).toMatch(/^https:\/\//);
    }
  });

  it('rejects floats, negative prices and duplicate names', () => {
    const entry = {
      provider: 'x',
      model: 'm',
      input: '1',
      output: '2',
      date: '2025-01-01',
      source: 'https://x.test',
    };
    expect(() => indexCatalog({ models: [{ ...entry, input: 1 }] })).toThrow(/expected string/);
    expect(() => indexCatalog({ models: [{ ...entry, input: '-1' }] })).toThrow(/decimal string/);
    expect(() => indexCatalog({ models: [entry, { ...entry, aliases: ['other'] }] })).toThrow(/listed twice/);
    expect(() => indexCatalog({ models: [{ ...entry, source: 'http://x.test' }] })).toThrow();
  });
});

describe('model name normalization', () => {
  it('tries exact, prefix-stripped, undated and dashed-version names in order', () => {
    expect(modelNameCandidates('gpt-4o-2024-08-06')).toEqual(['gpt-4o-2024-08-06', 'gpt-4o']);
    expect(modelNameCandidates('openrouter/openai/gpt-4o')).toEqual([
      'openrouter/openai/gpt-4o',
      'openai/gpt-4o',
      'gpt-4o',
    ]);
    expect(modelNameCandidates('claude-sonnet-4-5@20250929')).toEqual([
      'claude-sonnet-4-5@20250929',
      'claude-sonnet-4-5',
    ]);
    expect(modelNameCandidates('Claude-3-5-Haiku-Latest')).toEqual([
      'claude-3-5-haiku-latest',
      'claude-3-5-haiku',
    ]);
    expect(modelNameCandidates('anthropic/claude-sonnet-4.5')).toContain('claude-sonnet-4-5');
    expect(modelNameCandidates('  ')).toEqual([]);
  });
});

describe('price book lookup', () => {
  it('matches snapshots, prefixes and -latest against the catalog', async () => {
    const book = await loadPriceBook({ fallback: false });
    expect(book.lookup('openai', 'gpt-4o-2024-11-20')).toMatchObject({
      source: 'catalog',
      id: 'openai/gpt-4o',
    });
    expect(book.lookup('openai', 'gpt-4o-2024-05-13')?.price.input).toBe(5_000_000_000);
    expect(book.lookup('openai', 'gpt-4o')?.price.input).toBe(2_500_000_000);
    expect(book.lookup('anthropic', 'claude-3-5-haiku-latest')?.id).toBe('anthropic/claude-3-5-haiku');
    expect(book.lookup('anthropic', 'claude-sonnet-4-5-20250929')?.price.tiers?.[0]?.aboveInputTokens).toBe(
      200_000,
    );
    expect(book.lookup('OpenAI', 'GPT-4.1-MINI')?.id).toBe('openai/gpt-4.1-mini');
  });

  it('matches unknown providers (azure, openrouter) on the model name alone', async () => {
    const book = await loadPriceBook({ fallback: false });
    expect(book.lookup('azure', 'gpt-4o')?.id).toBe('openai/gpt-4o');
    expect(book.lookup('openrouter', 'anthropic/claude-sonnet-4.5')?.id).toBe('anthropic/claude-sonnet-4-5');
    expect(book.lookup('openai', 'claude-3-haiku')).toBeNull(); // a known provider stays within its own models
    expect(book.lookup('anthropic', 'no-such-model')).toBeNull();
  });

  it('gives overrides precedence, provider-scoped keys before bare ones', async () => {
    const book = await loadPriceBook({
      fallback: false,
      overrides: {
        'gpt-4o': { input: '1.00', output: '2.00' },
        'openai/gpt-4o': { input: '0.50', output: 1, cachedInput: '0.05' },
        'my-local-model': { input: '0', output: '0' },
      },
    });
    expect(book.lookup('openai', 'gpt-4o-2024-08-06')).toEqual({
      source: 'override',
      id: 'openai/gpt-4o',
      price: { input: 500_000_000, output: 1_000_000_000, cachedInput: 50_000_000 },
    });
    expect(book.lookup('azure', 'gpt-4o')).toMatchObject({ source: 'override', id: 'gpt-4o' });
    expect(book.lookup('ollama', 'my-local-model')).toMatchObject({
      source: 'override',
      price: { input: 0 },
    });
    expect(book.lookup('openai', 'gpt-4o-mini')?.source).toBe('catalog');
  });

  it('rejects malformed overrides with the offending key', () => {
    expect(() => indexOverrides({ 'openai/gpt-4o': { input: '-2', output: '1' } })).toThrow(
      /override openai\/gpt-4o/,
    );
    expect(() => indexOverrides({ x: { input: '1' } as never })).toThrow(/invalid price overrides/);
  });

  it('memoizes answers, misses included, so the fallback runs once per name', () => {
    const fallback = vi.fn(() => null);
    const book = createPriceBook({ fallback });
    expect(book.lookup('groq', 'unknown-model')).toBeNull();
    expect(book.lookup('groq', 'unknown-model')).toBeNull();
    expect(fallback).toHaveBeenCalledTimes(1);
    expect(fallback).toHaveBeenCalledWith('groq', ['unknown-model']);
  });

  it('can run without any catalog', async () => {
    const book = await loadPriceBook({ catalogFile: null, fallback: false });
    expect(book.lookup('openai', 'gpt-4o')).toBeNull();
  });

  it('reports an unreadable catalog file clearly', async () => {
    await expect(loadPriceBook({ catalogFile: '/nonexistent/catalog.json' })).rejects.toThrow(
      /price catalog/,
    );
  });
});
