/**
 * Anthropic prompt caching is opt-in: a prefix is cached only up to a block carrying
 * `cache_control: {type: "ephemeral", ttl?}`. Clients that set none pay full price for the same
 * tools and system prompt on every call; this adds the markers they left out.
 *
 * Facts this relies on (Anthropic prompt caching docs, platform.claude.com/docs/en/build-with-claude/prompt-caching):
 * - The prefix is rendered tools → system → messages; a marker caches everything up to its block.
 * - Markers go on tool definitions, system text blocks and message content blocks (text, images,
 *   tool_use, tool_result), never on thinking blocks or empty text; at most 4 per request.
 * - A prefix shorter than the model's minimum is silently not cached (no error).
 * - With mixed TTLs, a "1h" marker must come before any "5m" one.
 */

export type TextEstimator = (text: string) => number;
type Json = Record<string, unknown>;
type Ttl = '5m' | '1h';

export const MAX_BREAKPOINTS = 4;

/**
 * Minimum cacheable prefix per model family, most specific first. Sources: Anthropic's prompt
 * caching docs as mirrored by docs.orq.ai/docs/proxy/prompt-caching, claudecodeguides.com and
 * docs.truefoundry.com. Sources disagree on Sonnet 4.6 (1,024 vs 2,048); the higher is kept,
 * since overstating the minimum only forgoes a marker while understating it reports savings
 * that never happen.
 */
const MIN_TOKENS: ReadonlyArray<readonly [RegExp, number]> = [
  [/opus-4-[5-9]|opus-4\.[5-9]/, 4096], // Opus 4.5, 4.6, 4.7
  [/haiku-4/, 4096], // Haiku 4.5
  [/sonnet-4-[6-9]|sonnet-4\.[6-9]/, 2048], // Sonnet 4.6 (see above)
  [/3-5-haiku|3-haiku|haiku-3/, 2048], // Haiku 3.5, Haiku 3
  [/opus-4|sonnet-4|3-7-sonnet|3-5-sonnet|3-opus|sonnet-3|opus-3/, 1024], // Sonnet 4.5/4, Opus 4.1/4, 3.x
];
// Unknown (newer) models get the highest known minimum, for the reason above.
const UNKNOWN_MODEL_MIN_TOKENS = 4096;
// Anthropic bills an image at about width × height / 750 tokens, capped near 1,600.
const IMAGE_TOKENS = 1600;

export function minCacheableTokens(model: string): number {
  const name = model.toLowerCase();
  return MIN_TOKENS.find(([pattern]) => pattern.test(name))?.[1] ?? UNKNOWN_MODEL_MIN_TOKENS;
}

export interface BreakpointResult {
  body: Json;
  inserted: number;
  /** Estimated prefix tokens up to the furthest marker this call inserted (0 when none). */
  cachedPrefixTokens: number;
  /** Why nothing was inserted. */
  reason?: string;
}

export interface BreakpointOptions {
  /** TTL for inserted markers; "5m" (the API default) leaves the ttl field out. */
  ttl?: Ttl;
}

/** One cacheable position in render order. */
interface Slot {
  section: 'tools' | 'system' | 'messages';
  index: number;
  /** Block index inside a message's content or the system array; -1 for string content. */
  block: number;
  /** Estimated tokens from the start of the prompt through this block. */
  through: number;
  marker: Ttl | null;
  cacheable: boolean;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function markerOf(block: unknown): Ttl | null {
  if (!isObject(block) || !isObject(block['cache_control'])) return null;
  return block['cache_control']['ttl'] === '1h' ? '1h' : '5m';
}

function blockTokens(block: unknown, estimate: TextEstimator): number {
  if (typeof block === 'string') return estimate(block);
  if (!isObject(block)) return 0;
  if (typeof block['text'] === 'string') return estimate(block['text']);
  if (block['type'] === 'image' || block['type'] === 'document') return IMAGE_TOKENS;
  if (typeof block['thinking'] === 'string') return estimate(block['thinking']);
  if (block['type'] === 'tool_result' && Array.isArray(block['content'])) {
    return block['content'].reduce((sum: number, part) => sum + blockTokens(part, estimate), 0);
  }
  if (block['type'] === 'tool_result') return estimate(String(block['content'] ?? ''));
  return estimate(JSON.stringify(block));
}

function isCacheableBlock(block: unknown): boolean {
  if (typeof block === 'string') return block !== '';
  if (!isObject(block)) return false;
  if (block['type'] === 'thinking' || block['type'] === 'redacted_thinking') return false;
  return !(block['type'] === 'text' && block['text'] === '');
}

/** Every position in render order with its running token total. */
function collectSlots(body: Json, estimate: TextEstimator): Slot[] {
  const slots: Slot[] = [];
  let total = 0;
  const push = (
    section: Slot['section'],
    index: number,
    block: number,
    value: unknown,
    tokens: number,
  ): void => {
    total += tokens;
    slots.push({
      section,
      index,
      block,
      through: total,
      marker: markerOf(value),
      cacheable: isCacheableBlock(value),
    });
  };
  const tools = Array.isArray(body['tools']) ? body['tools'] : [];
  tools.forEach((tool, i) => push('tools', i, -1, tool, estimate(JSON.stringify(tool))));
  const system = body['system'];
  if (typeof system === 'string') push('system', 0, -1, system, estimate(system));
  else if (Array.isArray(system)) system.forEach((b, i) => push('system', 0, i, b, blockTokens(b, estimate)));
  const messages = Array.isArray(body['messages']) ? body['messages'] : [];
  messages.forEach((message, m) => {
    const content = isObject(message) ? message['content'] : undefined;
    if (typeof content === 'string') push('messages', m, -1, content, estimate(content));
    else if (Array.isArray(content))
      content.forEach((b, i) => push('messages', m, i, b, blockTokens(b, estimate)));
  });
  return slots;
}

/** The last tool, the last system block, and the end of the history before the final user turn. */
function candidates(body: Json, slots: Slot[]): Slot[] {
  const lastOf = (predicate: (slot: Slot) => boolean): Slot[] => {
    const slot = slots.findLast(predicate);
    return slot ? [slot] : [];
  };
  const messages = Array.isArray(body['messages']) ? body['messages'] : [];
  const finalUser = messages.findLastIndex((m) => isObject(m) && m['role'] === 'user');
  return [
    ...lastOf((s) => s.section === 'tools'),
    ...lastOf((s) => s.section === 'system'),
    ...(finalUser > 0 ? lastOf((s) => s.section === 'messages' && s.index === finalUser - 1) : []),
  ];
}

/** The TTL a new marker at `slot` needs so that longer TTLs still precede shorter ones, or null if none fits. */
function ttlFor(slot: Slot, slots: Slot[], chosen: Slot[], wanted: Ttl): Ttl | null {
  const position = slots.indexOf(slot);
  const later = slots.slice(position + 1).some((s) => s.marker === '1h');
  const ttl: Ttl = later ? '1h' : wanted;
  const earlier = [...slots.slice(0, position).map((s) => s.marker), ...chosen.map((s) => s.marker)];
  return ttl === '1h' && earlier.includes('5m') ? null : ttl;
}

function withMarker(block: unknown, ttl: Ttl): Json {
  const cacheControl = ttl === '1h' ? { type: 'ephemeral', ttl: '1h' } : { type: 'ephemeral' };
  const base = typeof block === 'string' ? { type: 'text', text: block } : (block as Json);
  return { ...base, cache_control: cacheControl };
}

function replaceAt(list: unknown[], index: number, ttl: Ttl): unknown[] {
  const copy = [...list];
  copy[index] = withMarker(list[index], ttl);
  return copy;
}

/** A copy of `body` with a marker on `slot`; arrays and objects on the path are copied, never mutated. */
function applyMarker(body: Json, slot: Slot, ttl: Ttl): Json {
  if (slot.section === 'tools') {
    return { ...body, tools: replaceAt(body['tools'] as unknown[], slot.index, ttl) };
  }
  if (slot.section === 'system') {
    const system = body['system'];
    return {
      ...body,
      system: slot.block === -1 ? [withMarker(system, ttl)] : replaceAt(system as unknown[], slot.block, ttl),
    };
  }
  const messages = [...(body['messages'] as unknown[])];
  const message = messages[slot.index] as Json;
  const content =
    slot.block === -1
      ? [withMarker(message['content'], ttl)]
      : replaceAt(message['content'] as unknown[], slot.block, ttl);
  messages[slot.index] = { ...message, content };
  return { ...body, messages };
}

/**
 * Adds cache markers at the end of the request's stable prefixes (tools, system, conversation
 * history) where the prefix up to that point meets the model's minimum, keeping the client's own
 * markers and the 4-marker limit. Returns the same object when nothing changes.
 */
export function insertCacheBreakpoints(
  body: Json,
  model: string,
  estimate: TextEstimator,
  options: BreakpointOptions = {},
): BreakpointResult {
  const unchanged = (reason: string): BreakpointResult => ({
    body,
    inserted: 0,
    cachedPrefixTokens: 0,
    reason,
  });
  if (isObject(body['cache_control'])) return unchanged('client uses automatic caching');
  const slots = collectSlots(body, estimate);
  const free = MAX_BREAKPOINTS - slots.filter((s) => s.marker !== null).length;
  if (free <= 0) return unchanged('no free cache breakpoint');
  const minimum = minCacheableTokens(model);
  const eligible = candidates(body, slots).filter((s) => s.marker === null && s.cacheable);
  if (eligible.length === 0) return unchanged('no stable prefix to cache');
  const long = eligible.filter((s) => s.through >= minimum);
  if (long.length === 0) return unchanged(`prefix below the ${minimum}-token minimum for ${model}`);
  const chosen: Slot[] = [];
  let result = body;
  // Prefix order when slots run short: tools and system are shared across conversations.
  for (const slot of long) {
    const ttl = chosen.length < free ? ttlFor(slot, slots, chosen, options.ttl ?? '5m') : null;
    if (ttl === null) continue;
    result = applyMarker(result, slot, ttl);
    chosen.push({ ...slot, marker: ttl });
  }
  if (chosen.length === 0) return unchanged('client markers leave no position with a valid TTL order');
  return {
    body: result,
    inserted: chosen.length,
    cachedPrefixTokens: Math.max(...chosen.map((s) => s.through)),
  };
}
