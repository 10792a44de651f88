/**
 * Simulated provider-side prompt caching, so repeated prompts report cached
 * tokens the way the real APIs do and the dashboard's cache views have data.
 *
 * OpenAI caches automatically: the longest previously seen prefix of at least
 * 1024 tokens is reused, counted in 128-token steps. Anthropic caches only at
 * cache_control breakpoints: a hit reads the prefix, a miss writes it (billed
 * at a premium), and lookups also check the ~20 block boundaries before each
 * breakpoint so a growing conversation keeps hitting its earlier turns.
 */
import type { ModelSpec } from './models.ts';
import type { PromptSegment } from './prompt.ts';
import { hashString } from './random.ts';

const OPENAI_TTL_MS = 10 * 60_000;
const OPENAI_CACHE_STEP = 128;
const TTL_MS = { '5m': 5 * 60_000, '1h': 60 * 60_000 } as const;
const LOOKBACK_BLOCKS = 20;
const MAX_ENTRIES = 50_000;

export interface AnthropicCacheUsage {
  readTokens: number;
  write5mTokens: number;
  write1hTokens: number;
}

interface Prefix {
  key: string;
  tokens: number;
}

/** Cumulative keys and token counts at every segment boundary. */
function prefixesOf(model: ModelSpec, segments: readonly PromptSegment[]): Prefix[] {
  let low = hashString(model.id);
  let high = hashString(model.id, 0x9747b28c);
  let tokens = 0;
  return segments.map((part) => {
    low = hashString(part.text, low ^ 0x2f);
    high = hashString(part.text, high ^ 0x5d);
    tokens += part.tokens;
    return { key: `${low.toString(36)}.${high.toString(36)}.${tokens}`, tokens };
  });
}

export class PromptCache {
  private readonly expiries = new Map<string, number>();
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  /** OpenAI: cached_tokens for this prompt, then remember its prefixes. */
  openaiCachedTokens(model: ModelSpec, segments: readonly PromptSegment[]): number {
    const prefixes = prefixesOf(model, segments).filter((prefix) => prefix.tokens >= model.cacheMinTokens);
    const hit = [...prefixes].reverse().find((prefix) => this.isAlive(prefix.key));
    for (const prefix of prefixes) this.remember(prefix.key, OPENAI_TTL_MS);
    return hit ? Math.floor(hit.tokens / OPENAI_CACHE_STEP) * OPENAI_CACHE_STEP : 0;
  }

  /** Anthropic: cache reads and writes for a request with cache_control breakpoints. */
  anthropicUsage(model: ModelSpec, segments: readonly PromptSegment[]): AnthropicCacheUsage {
    const usage: AnthropicCacheUsage = { readTokens: 0, write5mTokens: 0, write1hTokens: 0 };
    const breakpoints = segments.flatMap((part, index) => (part.cacheTtl ? [index] : []));
    if (breakpoints.length === 0) return usage;
    const prefixes = prefixesOf(model, segments);
    const hitIndex = this.longestAnthropicHit(prefixes, breakpoints);
    const hit = prefixes[hitIndex];
    if (hit) {
      usage.readTokens = hit.tokens;
      this.remember(hit.key, TTL_MS[segments[hitIndex]?.cacheTtl ?? '5m']);
    }
    this.writeBreakpoints(model, segments, prefixes, breakpoints, hitIndex, usage);
    return usage;
  }

  private longestAnthropicHit(prefixes: readonly Prefix[], breakpoints: readonly number[]): number {
    const candidates = new Set<number>();
    for (const breakpoint of breakpoints) {
      for (let index = Math.max(0, breakpoint - LOOKBACK_BLOCKS + 1); index <= breakpoint; index++) {
        candidates.add(index);
      }
    }
    const ordered = [...candidates].sort((a, b) => b - a);
    return ordered.find((index) => this.isAlive(prefixes[index]?.key ?? '')) ?? -1;
  }

  /** Every breakpoint past the hit writes the tokens since the previous cached point. */
  private writeBreakpoints(
    model: ModelSpec,
    segments: readonly PromptSegment[],
    prefixes: readonly Prefix[],
    breakpoints: readonly number[],
    hitIndex: number,
    usage: AnthropicCacheUsage,
  ): void {
    let cachedSoFar = usage.readTokens;
    for (const breakpoint of breakpoints) {
      const prefix = prefixes[breakpoint];
      const ttl = segments[breakpoint]?.cacheTtl ?? '5m';
      if (!prefix || breakpoint <= hitIndex || prefix.tokens < model.cacheMinTokens) continue;
      const written = prefix.tokens - cachedSoFar;
      if (ttl === '1h') usage.write1hTokens += written;
      else usage.write5mTokens += written;
      cachedSoFar = prefix.tokens;
      this.remember(prefix.key, TTL_MS[ttl]);
    }
  }

  private isAlive(key: string): boolean {
    const expiry = this.expiries.get(key);
    if (expiry === undefined) return false;
    if (expiry > this.now()) return true;
    this.expiries.delete(key);
    return false;
  }

  /** Re-inserting keeps Map order as recency order, so the oldest entry is evicted first. */
  private remember(key: string, ttlMs: number): void {
    this.expiries.delete(key);
    this.expiries.set(key, this.now() + ttlMs);
    if (this.expiries.size > MAX_ENTRIES) {
      const oldest = this.expiries.keys().next().value;
      if (oldest !== undefined) this.expiries.delete(oldest);
    }
  }
}
