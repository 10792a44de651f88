import type { IncomingHttpHeaders } from 'node:http';

/**
 * OpenAI flex processing: `service_tier: "flex"` on Chat Completions or Responses requests bills
 * tokens at Batch API rates (half price) in exchange for slower answers and occasional
 * `429 Resource Unavailable` (not billed). A model that does not support flex answers 400 and
 * does not fall back to the standard tier, so the list below is an allow-list.
 *
 * Sources: OpenAI flex processing guide (platform.openai.com/docs/guides/flex-processing):
 * launched in beta for o3 and o4-mini, "supported models are listed on the pricing page"; the
 * pricing page's Flex table adds the GPT-5 family (gpt-5, gpt-5-mini, gpt-5-nano, gpt-5.1,
 * gpt-5.2); docs.merge.dev (service tiers) and LiteLLM's price map list flex prices for gpt-5.4
 * and gpt-5.5. Variants without a flex price (-pro, -codex, -chat-latest, o3-mini, o3-pro,
 * deep-research) are left out. Extend with `extraModels` when OpenAI adds more.
 */
const FLEX_MODELS = /^(?:o3|o4-mini|gpt-5(?:-mini|-nano)?|gpt-5\.[1245])(?:-\d{4}-\d{2}-\d{2})?$/;

/** Header a client sends to mark a request as able to wait (`low`); the proxy strips `x-apex-*`. */
export const URGENCY_HEADER = 'x-apex-urgency';

/** The flex guide recommends a 15-minute client timeout: flex requests queue for capacity. */
export const FLEX_TIMEOUT_MS = 15 * 60_000;

/** Share of the standard price that flex saves (billed at Batch API rates). */
export const FLEX_DISCOUNT_SHARE = 0.5;

/** True when OpenAI accepts `service_tier: "flex"` for this upstream model name. */
export function flexEligible(model: string, extraModels: readonly string[] = []): boolean {
  const name = model.toLowerCase();
  return FLEX_MODELS.test(name) || extraModels.includes(name);
}

/** The urgency the client declared (`x-apex-urgency`), lower-cased; undefined when none. */
export function urgencyOf(headers: IncomingHttpHeaders): string | undefined {
  const raw = headers[URGENCY_HEADER];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value?.trim().toLowerCase();
}

/** True when the client sent `x-apex-urgency: low`. */
export function isLowUrgency(headers: IncomingHttpHeaders): boolean {
  return urgencyOf(headers) === 'low';
}

export interface FlexResult {
  body: Record<string, unknown>;
  applied: boolean;
}

/**
 * Sets `service_tier: "flex"` on a request the caller judged non-urgent, when the model supports
 * it. A tier the client chose itself is kept. Never mutates `body`.
 */
export function applyFlex(
  body: Record<string, unknown>,
  model: string,
  extraModels: readonly string[] = [],
): FlexResult {
  if (body['service_tier'] !== undefined || !flexEligible(model, extraModels))
    return { body, applied: false };
  return { body: { ...body, service_tier: 'flex' }, applied: true };
}

/** The request without the flex tier, for retrying at the standard tier after a flex 429. */
export function withoutFlex(body: Record<string, unknown>): Record<string, unknown> {
  if (body['service_tier'] !== 'flex') return body;
  const { service_tier: _dropped, ...rest } = body;
  return rest;
}

/**
 * Share of the standard price that the provider's batch API saves, 0 when it has none.
 * OpenAI Batch API: 50% off input and output, results within 24 h (platform.openai.com/docs/guides/batch).
 * Anthropic Message Batches: 50% off all usage, cache reads/writes included, most batches within
 * an hour and at most 24 h (platform.claude.com/docs/en/build-with-claude/batch-processing).
 */
export function batchDiscountShare(provider: string): number {
  return provider === 'openai' || provider === 'anthropic' ? 0.5 : 0;
}
