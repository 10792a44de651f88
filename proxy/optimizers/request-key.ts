import { createHash } from 'node:crypto';
import type { ApiFlavor } from '../../contracts/usage.ts';

/**
 * Fields that do not change what a model answers: caller bookkeeping and the service tier.
 * stream_options stays in the key because it decides whether a replayed stream carries usage.
 * Everything else (model, messages, system, tools, sampling, response
 * format, seed...) is part of the cache key, so only truly identical requests share an entry.
 */
const IGNORED = new Set(['user', 'metadata', 'store', 'service_tier', 'safety_identifier']);

export interface CacheScope {
  /** Tenant boundary: a cached answer is never served across keys or projects. */
  tenant: string;
  api: ApiFlavor;
  endpoint: string;
}

/** Why a request may not be served from the exact cache, or null when it may. */
export function uncacheableReason(body: Record<string, unknown>, allowSampling: boolean): string | null {
  if (typeof body['n'] === 'number' && body['n'] > 1) return 'asks for several choices';
  if (allowSampling) return null;
  // OpenAI and Anthropic both sample at temperature 1 when none is given.
  const temperature = typeof body['temperature'] === 'number' ? body['temperature'] : 1;
  return temperature > 0 ? 'samples (temperature > 0); enable caching of sampled requests to allow it' : null;
}

/** SHA-256 of the scope and the request's canonical JSON (keys sorted, ignored fields dropped). */
export function exactCacheKey(scope: CacheScope, body: Record<string, unknown>): string {
  const hash = createHash('sha256');
  hash.update(`${scope.tenant}\u001f${scope.api}\u001f${scope.endpoint}\u001f`);
  hash.update(canonicalJson(body, true));
  return hash.digest('base64url');
}

/** JSON with object keys sorted, so field order in the client's request does not matter. */
export function canonicalJson(value: unknown, topLevel = false): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([key, v]) => v !== undefined && !(topLevel && IGNORED.has(key)))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, v]) => `${JSON.stringify(key)}:${canonicalJson(v)}`).join(',')}}`;
}
