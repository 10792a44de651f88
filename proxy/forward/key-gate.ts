import type { IncomingHttpHeaders } from 'node:http';
import { ZERO_USAGE, type UsageEvent } from '../../contracts/usage.ts';
import type { KeyAccess, Refusal } from '../keys/access.ts';
import type { VirtualKey } from '../keys/key-schema.ts';
import { estimatePromptTokens } from '../optimizers/tokens.ts';
import type { ProxyRuntime } from '../runtime.ts';
import type { Exchange } from './exchange.ts';
import type { IncomingRequest } from './prepare.ts';

/** Raised on the request path when a key check says no; answered in the caller's API format. */
export class Refused extends Error {
  readonly refusal: Refusal;

  constructor(refusal: Refusal) {
    super(refusal.message);
    this.refusal = refusal;
  }
}

/** A virtual key that was admitted, and what admit() charged against its token limit. */
export interface Admitted {
  ok: true;
  key: VirtualKey;
  estimatedTokens: number;
}

/**
 * Who is calling: a virtual key (the exchange is then billed to it and its project), null for a
 * caller passing their own provider key through, or the refusal to send back.
 */
export function identifyCaller(
  headers: IncomingHttpHeaders,
  exchange: Exchange,
  access: KeyAccess,
): { ok: true; key: VirtualKey } | Refusal | null {
  const authentication = access.authenticate(headers);
  if (!authentication.ok) return authentication;
  const { key } = authentication;
  if (!key) return null;
  exchange.keyId = key.id;
  exchange.project = key.project ?? exchange.project;
  exchange.viaVirtualKey = true;
  return { ok: true, key };
}

/** Checks the key's models, budgets and rate limits against what this request may cost at most. */
export function admitCaller(
  key: VirtualKey,
  incoming: IncomingRequest,
  exchange: Exchange,
  context: { access: KeyAccess; runtime: ProxyRuntime; now: number },
): Admitted | Refusal {
  const estimatedTokens = limited(key) ? estimateTokens(incoming, exchange) : 0;
  const estimatedCostNanos =
    key.budgetDailyNanos === null && key.budgetMonthlyNanos === null
      ? 0
      : estimateCost(incoming, estimatedTokens, context.runtime);
  const admission = context.access.admit(key, {
    model: incoming.json.model as string,
    estimatedTokens,
    estimatedCostNanos,
    now: context.now,
  });
  return admission.ok ? { ok: true, key, estimatedTokens } : admission;
}

/** Charges the finished request to its key: actual cost to the budgets, actual tokens to the limit. */
export function settleCaller(admitted: Admitted | null, event: UsageEvent, access: KeyAccess): void {
  if (admitted) access.settle(admitted.key, event, admitted.estimatedTokens);
}

function limited(key: VirtualKey): boolean {
  return key.tpm !== null || key.budgetDailyNanos !== null || key.budgetMonthlyNanos !== null;
}

/** Prompt tokens plus the most the answer may use (the request's own cap; unknown counts as none). */
function estimateTokens(incoming: IncomingRequest, exchange: Exchange): number {
  const endpoint = exchange.endpoint;
  const body = incoming.json;
  const prompt =
    endpoint === 'chat' || endpoint === 'messages' || endpoint === 'responses'
      ? estimatePromptTokens(endpoint, body)
      : Math.ceil(incoming.original.length / 4);
  return prompt + outputCap(body);
}

function outputCap(body: Record<string, unknown>): number {
  for (const field of ['max_completion_tokens', 'max_output_tokens', 'max_tokens']) {
    const value = body[field];
    if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  }
  return 0;
}

/** Priced at the requested model: the prompt as input, the answer's cap as output. */
function estimateCost(incoming: IncomingRequest, tokens: number, runtime: ProxyRuntime): number {
  const cap = outputCap(incoming.json);
  const usage = { ...ZERO_USAGE, inputTokens: Math.max(0, tokens - cap), outputTokens: cap };
  return runtime.pricing.price(incoming.deployment, null, usage).costNanos;
}
