import type { IncomingHttpHeaders } from 'node:http';
import { formatCount, formatMoney } from '../../common/money-format.ts';
import type { UsageEvent } from '../../contracts/usage.ts';
import { globMatch } from '../optimizers/routing/rules.ts';
import { SECRET_PREFIX, type VirtualKey } from './key-schema.ts';
import type { VirtualKeyStore } from './key-store.ts';
import { RateLimiter, type RateDecision } from './rate-limiter.ts';
import type { Refusal } from './refusal.ts';
import { nextUtcMidnight, nextUtcMonthStart, SpendLedger } from './spend-ledger.ts';
import { bearerToken } from '../http/identity.ts';

export { refusalBody, refusalHeaders, sendRefusal } from './refusal.ts';
export type { Refusal, RefusalCode, RefusalLimit } from './refusal.ts';

export interface KeyAccessOptions {
  store: VirtualKeyStore;
  /** Seed it with spendSince() at startup; a fresh one knows of no earlier spend. */
  ledger?: SpendLedger;
  limiter?: RateLimiter;
  /** Refuse callers without a virtual key instead of passing their provider key through. */
  requireVirtualKeys?: boolean;
  /** Milliseconds since the epoch, for settle(); injected by tests. */
  clock?: () => number;
}

/** key null: no virtual key was presented and pass-through is allowed (the behaviour before keys). */
export type Authentication = { ok: true; key: VirtualKey | null } | Refusal;

export interface AdmitRequest {
  /** The model the caller asked for, before any routing. */
  model: string;
  /** Prompt tokens + max_tokens (or the provider default): what the request may use at most. */
  estimatedTokens: number;
  estimatedCostNanos: number;
  now: number;
}

export type Admission = { ok: true } | Refusal;

/**
 * What the request path asks before sending a request upstream (authenticate, then admit) and
 * tells after it finished (settle). Everything here is in memory; no call touches the disk.
 */
export class KeyAccess {
  readonly ledger: SpendLedger;
  readonly limiter: RateLimiter;
  private readonly store: VirtualKeyStore;
  /** Follows the config: a reload may turn it on or off. */
  requireVirtualKeys: boolean;
  private readonly clock: () => number;

  constructor(options: KeyAccessOptions) {
    this.store = options.store;
    this.ledger = options.ledger ?? new SpendLedger();
    this.limiter = options.limiter ?? new RateLimiter();
    this.requireVirtualKeys = options.requireVirtualKeys ?? false;
    this.clock = options.clock ?? Date.now;
  }

  /** The caller's virtual key, null for pass-through, or a 401. The secret never leaves here. */
  authenticate(headers: IncomingHttpHeaders): Authentication {
    const presented = credentials(headers);
    const secret = presented.find((value) => value.startsWith(SECRET_PREFIX));
    if (secret === undefined) return this.passThrough(presented.length > 0);
    const key = this.store.findBySecret(secret);
    if (!key) {
      return unauthorized('invalid_api_key', 'Invalid API key: it matches no virtual key of this proxy.');
    }
    if (key.revokedAt !== null) {
      const when = new Date(key.revokedAt).toISOString();
      return unauthorized('key_revoked', `Virtual key ${key.id} was revoked at ${when}; ask for a new key.`);
    }
    return { ok: true, key };
  }

  /** Checks model, budgets, then rate limits; only an admitted request uses up rate capacity. */
  admit(key: VirtualKey, request: AdmitRequest): Admission {
    return (
      checkModel(key, request.model) ??
      this.checkBudgets(key, request) ??
      rateRefusal(key, request, this.limiter.admit(key.id, key, request.estimatedTokens, request.now))
    );
  }

  /** A refusal once the key has spent more than a budget allows (a long realtime session can). */
  overBudget(key: VirtualKey, now: number): Refusal | null {
    return this.checkBudgets(key, { model: '', estimatedTokens: 0, estimatedCostNanos: 0, now });
  }

  /**
   * Records a finished request: its actual cost towards the budgets, and its actual tokens in
   * place of the `estimatedTokens` admit() charged to the tokens-per-minute limit.
   */
  settle(key: VirtualKey, event: UsageEvent, estimatedTokens: number): void {
    this.ledger.record(key.id, event.costNanos, event.ts);
    this.limiter.settle(key.id, estimatedTokens, event.inputTokens + event.outputTokens, this.clock());
  }

  private passThrough(presented: boolean): Authentication {
    if (!this.requireVirtualKeys) return { ok: true, key: null };
    return presented
      ? unauthorized('virtual_key_required', 'This proxy accepts only its virtual keys (sk-apex-...).')
      : unauthorized('missing_api_key', 'Missing API key: this proxy requires a virtual key (sk-apex-...).');
  }

  /** Monthly first: when both are spent, the daily reset would not help. */
  private checkBudgets(key: VirtualKey, request: AdmitRequest): Refusal | null {
    const spent = this.ledger.spent(key.id, request.now);
    const estimate = Math.max(0, Math.round(request.estimatedCostNanos));
    if (key.budgetMonthlyNanos !== null && spent.monthNanos + estimate > key.budgetMonthlyNanos) {
      return budgetRefusal('monthly', key.budgetMonthlyNanos, spent.monthNanos, estimate, request.now);
    }
    if (key.budgetDailyNanos !== null && spent.dayNanos + estimate > key.budgetDailyNanos) {
      return budgetRefusal('daily', key.budgetDailyNanos, spent.dayNanos, estimate, request.now);
    }
    return null;
  }
}

/** Every credential the caller sent: the bearer token, then x-api-key. */
function credentials(headers: IncomingHttpHeaders): string[] {
  const found: string[] = [];
  const bearer = bearerToken(headers.authorization);
  if (bearer) found.push(bearer);
  const apiKey = headers['x-api-key'];
  for (const value of Array.isArray(apiKey) ? apiKey : [apiKey]) {
    if (value?.trim()) found.push(value.trim());
  }
  return found;
}

function unauthorized(code: Refusal['code'], message: string): Refusal {
  return { ok: false, status: 401, code, message, retryable: false };
}

function checkModel(key: VirtualKey, model: string): Refusal | null {
  if (key.models.length === 0 || key.models.some((glob) => globMatch(glob, model))) return null;
  return {
    ok: false,
    status: 403,
    code: 'model_not_allowed',
    message: `Model "${model}" is not allowed for this key (allowed: ${key.models.join(', ')}).`,
    retryable: false,
  };
}

function budgetRefusal(
  period: 'daily' | 'monthly',
  budget: number,
  spent: number,
  estimate: number,
  now: number,
): Refusal {
  const daily = period === 'daily';
  const resetsAt = new Date(daily ? nextUtcMidnight(now) : nextUtcMonthStart(now)).toISOString();
  const message =
    `${daily ? 'Daily' : 'Monthly'} budget of ${formatMoney(budget)} for this key is exhausted: ` +
    `${formatMoney(spent)} spent ${daily ? 'today' : 'this month'} (UTC) and this request is ` +
    `estimated at ${formatMoney(estimate)}. It resets at ${resetsAt} ` +
    `(${daily ? 'midnight UTC' : 'the first of the month, UTC'}).`;
  return {
    ok: false,
    status: 429,
    code: 'budget_exceeded',
    message,
    retryable: false,
    limit: daily ? 'daily_budget' : 'monthly_budget',
  };
}

function rateRefusal(key: VirtualKey, request: AdmitRequest, decision: RateDecision): Admission {
  if (decision.ok) return decision;
  const tokens = decision.limit === 'tpm';
  const limit = (tokens ? key.tpm : key.rpm) ?? 0;
  const estimate = formatCount(request.estimatedTokens);
  const refusal = { ok: false, status: 429, code: 'rate_limit_exceeded', limit: decision.limit } as const;
  if (decision.retryAfterSeconds === null) {
    const message =
      `This request needs an estimated ${estimate} tokens, more than this key's limit of ` +
      `${formatCount(limit)} tokens per minute; reduce the prompt or max_tokens.`;
    return { ...refusal, message, retryable: false };
  }
  const unit = tokens ? 'tokens' : limit === 1 ? 'request' : 'requests';
  const message =
    `Rate limit of ${formatCount(limit)} ${unit} per minute reached for this key` +
    `${tokens ? ` (this request needs an estimated ${estimate})` : ''}; ` +
    `retry in ${decision.retryAfterSeconds} s.`;
  return { ...refusal, message, retryable: true, retryAfterSeconds: decision.retryAfterSeconds };
}
