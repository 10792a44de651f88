import { createHash } from 'node:crypto';
import type { GenerationEndpoint } from '../routing/request-text.ts';

/**
 * OpenAI caches prompt prefixes automatically (prompts of 1,024 tokens or more, hits in
 * 128-token steps) but only on an exact prefix match, and tools are part of that prefix. Clients
 * that build their tool list from a map or a plugin registry send the same tools in a different
 * order from call to call and never hit. Sources: OpenAI prompt caching guide
 * (developers.openai.com/api/docs/guides/prompt-caching) and the "Prompt Caching 201" cookbook.
 *
 * Only tools are reordered. Messages never are: their order is the conversation's meaning.
 */

type Json = Record<string, unknown>;

export interface PrefixOptions {
  /**
   * Set `prompt_cache_key` (when the client sent none) from a hash of the static prefix. OpenAI
   * routes a request to a cache machine by a hash of the prompt's first ~256 tokens combined with
   * this key; keying on the whole static prefix (tools, system/developer text, instructions)
   * sends requests that share it to the same machine, and keeps apart apps whose first 256
   * tokens happen to match but whose long prefixes differ. Off by default: OpenAI-compatible
   * servers may reject the unknown field.
   */
  cacheKey?: boolean;
}

export interface PrefixResult {
  body: Json;
  changed: boolean;
  /** The `prompt_cache_key` this call set, if any. */
  cacheKey?: string;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// In JSON Schema these hold user-named properties: their order is the order a model writes the
// fields in under structured outputs (e.g. "reasoning" before "answer"), so it is kept.
const ORDERED_MAPS = new Set(['properties', 'patternProperties']);

/** Object keys sorted at every depth, except the entries of property maps; arrays keep their order. */
export function canonicalSchema(value: unknown, keepEntryOrder = false): unknown {
  if (Array.isArray(value)) return value.map((item) => canonicalSchema(item));
  if (!isObject(value)) return value;
  const entries = Object.entries(value);
  if (!keepEntryOrder) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(
    entries.map(([key, child]) => [
      key,
      keepEntryOrder
        ? canonicalSchema(child)
        : canonicalSchema(child, ORDERED_MAPS.has(key) && isObject(child)),
    ]),
  );
}

function toolName(tool: unknown): string {
  if (!isObject(tool)) return '';
  const fn = tool['function'];
  if (isObject(fn) && typeof fn['name'] === 'string') return fn['name'];
  if (typeof tool['name'] === 'string') return tool['name'];
  return typeof tool['type'] === 'string' ? tool['type'] : '';
}

/** Tools sorted by name (stable for equal names), each with canonical key order. */
export function canonicalTools(tools: readonly unknown[]): unknown[] {
  return tools
    .map((tool, index) => ({ tool: canonicalSchema(tool), name: toolName(tool), index }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.index - b.index))
    .map((entry) => entry.tool);
}

function isSystemItem(item: unknown): boolean {
  return isObject(item) && (item['role'] === 'system' || item['role'] === 'developer');
}

/** What every request of one app shares: model, tools, and the leading system/developer text. */
function staticPrefix(endpoint: GenerationEndpoint, body: Json): Json | null {
  const list = endpoint === 'chat' ? body['messages'] : body['input'];
  const items = Array.isArray(list) ? list : [];
  const firstOther = items.findIndex((item) => !isSystemItem(item));
  const system = items.slice(0, firstOther === -1 ? items.length : firstOther);
  const tools = Array.isArray(body['tools']) ? body['tools'] : [];
  const instructions = typeof body['instructions'] === 'string' ? body['instructions'] : '';
  if (system.length === 0 && tools.length === 0 && instructions === '') return null;
  return { model: body['model'], tools, system, instructions };
}

function promptCacheKey(prefix: Json): string {
  // canonicalSchema, not a full key sort: property order is part of the prefix the model sees.
  const digest = createHash('sha256')
    .update(JSON.stringify(canonicalSchema(prefix)))
    .digest('base64url');
  return `apex-${digest.slice(0, 24)}`;
}

/**
 * Canonical tool order and schema key order for chat and responses requests (other endpoints
 * are returned as is), plus an optional `prompt_cache_key`. Never mutates `body`; returns the same
 * object when nothing changes.
 */
export function stabilizePrefix(
  endpoint: GenerationEndpoint,
  body: Json,
  options: PrefixOptions = {},
): PrefixResult {
  if (endpoint !== 'chat' && endpoint !== 'responses') return { body, changed: false };
  let result = body;
  const tools = body['tools'];
  if (Array.isArray(tools) && tools.length > 0) {
    const sorted = canonicalTools(tools);
    if (JSON.stringify(sorted) !== JSON.stringify(tools)) result = { ...result, tools: sorted };
  }
  let cacheKey: string | undefined;
  if (options.cacheKey && body['prompt_cache_key'] === undefined) {
    const prefix = staticPrefix(endpoint, result);
    if (prefix) {
      cacheKey = promptCacheKey(prefix);
      result = { ...result, prompt_cache_key: cacheKey };
    }
  }
  const changed = result !== body;
  return cacheKey === undefined ? { body: result, changed } : { body: result, changed, cacheKey };
}
