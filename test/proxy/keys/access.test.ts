import { describe, expect, it } from 'vitest';
import { KeyAccess, type AdmitRequest } from '../../../proxy/keys/access.ts';
import { VirtualKeyStore } from '../../../proxy/keys/key-store.ts';
import { SpendLedger } from '../../../proxy/keys/spend-ledger.ts';
import { fakeClock, usageEvent } from './fixtures.ts';

const JAN_15_NOON = Date.UTC(2025, 0, 15, 12);
const JAN_15_LAST_MS = Date.UTC(2025, 0, 16) - 1;
const JAN_16_MIDNIGHT = Date.UTC(2025, 0, 16);

function setup(options: { requireVirtualKeys?: boolean } = {}) {
  const clock = fakeClock(JAN_15_NOON);
  const store = new VirtualKeyStore(':memory:', { clock: clock.now });
  const access = new KeyAccess({ store, clock: clock.now, ...options });
  return { clock, store, access };
}

function request(fields: Partial<AdmitRequest> = {}): AdmitRequest {
  return { model: 'gpt-4o-mini', estimatedTokens: 10, estimatedCostNanos: 0, now: JAN_15_NOON, ...fields };
}

describe('KeyAccess.authenticate', () => {
  it('follows a key from creation to revocation', () => {
    const { store, access, clock } = setup();
    const { key, secret } = store.create({ name: 'ci' });
    expect(access.authenticate({ authorization: `Bearer ${secret}` })).toEqual({ ok: true, key });
    expect(access.authenticate({ 'x-api-key': secret })).toEqual({ ok: true, key });
    clock.set(JAN_15_NOON + 5);
    store.revoke(key.id);
    const revoked = access.authenticate({ authorization: `bearer ${secret}` });
    expect(revoked).toMatchObject({ ok: false, status: 401, code: 'key_revoked', retryable: false });
    expect(revoked.ok === false && revoked.message).toContain(new Date(JAN_15_NOON + 5).toISOString());
    expect(JSON.stringify(revoked)).not.toContain(secret);
  });

  it('refuses an unknown or malformed virtual key, without echoing it', () => {
    const { store, access } = setup();
    const { secret } = store.create({ name: 'ci' });
    const unknown = `sk-apex-${'Z'.repeat(32)}`;
    for (const attempt of [unknown, 'sk-apex-short', `${secret}extra`]) {
      const result = access.authenticate({ authorization: `Bearer ${attempt}` });
      expect(result).toMatchObject({ ok: false, status: 401, code: 'invalid_api_key' });
      expect(JSON.stringify(result)).not.toContain(attempt.slice(8));
    }
    const revokedMessage = access.authenticate({ 'x-api-key': unknown });
    expect(revokedMessage.ok === false && revokedMessage.message).not.toContain('revoked');
  });

  it('passes other credentials through unless virtual keys are required', () => {
    const { access } = setup();
    expect(access.authenticate({})).toEqual({ ok: true, key: null });
    expect(access.authenticate({ authorization: 'Bearer sk-proj-abc' })).toEqual({ ok: true, key: null });
    expect(access.authenticate({ 'x-api-key': 'sk-ant-abc' })).toEqual({ ok: true, key: null });
    expect(access.authenticate({ authorization: 'Basic abc' })).toEqual({ ok: true, key: null });
  });

  it('refuses everything but a virtual key when required', () => {
    const { access, store } = setup({ requireVirtualKeys: true });
    expect(access.authenticate({})).toMatchObject({ status: 401, code: 'missing_api_key' });
    const foreign = access.authenticate({ authorization: 'Bearer sk-proj-abc' });
    expect(foreign).toMatchObject({ status: 401, code: 'virtual_key_required' });
    expect(JSON.stringify(foreign)).not.toContain('sk-proj-abc');
    const { key, secret } = store.create({ name: 'a' });
    expect(access.authenticate({ 'x-api-key': secret })).toEqual({ ok: true, key });
  });

  it('finds the virtual key whichever header carries it', () => {
    const { access, store } = setup();
    const { key, secret } = store.create({ name: 'a' });
    const both = { authorization: 'Bearer sk-proj-upstream', 'x-api-key': secret };
    expect(access.authenticate(both)).toEqual({ ok: true, key });
    const repeated = { 'x-api-key': [' ', secret] } as unknown as Record<string, string>;
    expect(access.authenticate(repeated)).toEqual({ ok: true, key });
  });
});

describe('KeyAccess.admit: models', () => {
  it('allows only models matching the key globs', () => {
    const { access, store } = setup();
    const { key } = store.create({ name: 'a', models: ['gpt-4o*', 'claude-sonnet-4-5'] });
    expect(access.admit(key, request({ model: 'gpt-4o-mini' }))).toEqual({ ok: true });
    expect(access.admit(key, request({ model: 'claude-sonnet-4-5' }))).toEqual({ ok: true });
    const refused = access.admit(key, request({ model: 'gpt-4.1' }));
    expect(refused).toMatchObject({ ok: false, status: 403, code: 'model_not_allowed', retryable: false });
    expect(refused.ok === false && refused.message).toContain('"gpt-4.1"');
    const open = store.create({ name: 'b' }).key;
    expect(access.admit(open, request({ model: 'anything' }))).toEqual({ ok: true });
  });
});

describe('KeyAccess.admit: budgets', () => {
  it('allows spending exactly the daily budget and refuses one nano more', () => {
    const { access, store } = setup();
    const { key } = store.create({ name: 'a', budgetDailyNanos: 1_000 });
    access.ledger.record(key.id, 600, JAN_15_NOON);
    expect(access.admit(key, request({ estimatedCostNanos: 400 }))).toEqual({ ok: true });
    const refused = access.admit(key, request({ estimatedCostNanos: 401 }));
    expect(refused).toMatchObject({
      ok: false,
      status: 429,
      code: 'budget_exceeded',
      retryable: false,
      limit: 'daily_budget',
    });
    expect(refused).not.toHaveProperty('retryAfterSeconds');
    const message = refused.ok === false ? refused.message : '';
    expect(message).toMatch(/^Daily budget of \$0\.000001 /);
    expect(message).toContain('$0.0000006 spent today');
    expect(message).toContain('resets at 2025-01-16T00:00:00.000Z (midnight UTC)');
  });

  it('names the monthly budget and the first of next month', () => {
    const { access, store } = setup();
    const { key } = store.create({ name: 'a', budgetDailyNanos: 10, budgetMonthlyNanos: 5_000_000_000 });
    access.ledger.record(key.id, 5_000_000_000, Date.UTC(2025, 0, 2));
    const refused = access.admit(key, request({ estimatedCostNanos: 1 }));
    expect(refused).toMatchObject({ code: 'budget_exceeded', limit: 'monthly_budget' });
    const message = refused.ok === false ? refused.message : '';
    expect(message).toMatch(/^Monthly budget of \$5\.00 .*\$5\.00 spent this month/);
    expect(message).toContain('2025-02-01T00:00:00.000Z (the first of the month, UTC)');
  });

  it('counts the estimate alone against an untouched budget', () => {
    const { access, store } = setup();
    const { key } = store.create({ name: 'a', budgetDailyNanos: 0 });
    expect(access.admit(key, request({ estimatedCostNanos: 0 }))).toEqual({ ok: true });
    expect(access.admit(key, request({ estimatedCostNanos: 1 }))).toMatchObject({ code: 'budget_exceeded' });
  });

  it('opens a spent daily budget again at UTC midnight, not a spent month', () => {
    const { access, store } = setup();
    const { key } = store.create({ name: 'a', budgetDailyNanos: 100, budgetMonthlyNanos: 150 });
    access.settle(key, usageEvent({ ts: JAN_15_LAST_MS - 10, costNanos: 100 }), 0);
    const late = request({ estimatedCostNanos: 1, now: JAN_15_LAST_MS });
    expect(access.admit(key, late)).toMatchObject({ limit: 'daily_budget' });
    const nextDay = request({ estimatedCostNanos: 50, now: JAN_16_MIDNIGHT });
    expect(access.admit(key, nextDay)).toEqual({ ok: true });
    expect(access.admit(key, { ...nextDay, estimatedCostNanos: 51 })).toMatchObject({
      limit: 'monthly_budget',
    });
  });

  it('uses a seeded ledger when given one', () => {
    const { store, clock } = setup();
    const { key } = store.create({ name: 'a', budgetDailyNanos: 10 });
    const ledger = new SpendLedger();
    ledger.seed({ at: JAN_15_NOON, rows: [{ keyId: key.id, dayNanos: 10, monthNanos: 10 }] });
    const access = new KeyAccess({ store, ledger, clock: clock.now });
    expect(access.admit(key, request({ estimatedCostNanos: 1 }))).toMatchObject({ code: 'budget_exceeded' });
  });
});

describe('KeyAccess.admit: rate limits', () => {
  it('refuses over rpm with the wait in seconds', () => {
    const { access, store } = setup();
    const { key } = store.create({ name: 'a', rpm: 1 });
    expect(access.admit(key, request())).toEqual({ ok: true });
    expect(access.admit(key, request())).toEqual({
      ok: false,
      status: 429,
      code: 'rate_limit_exceeded',
      message: 'Rate limit of 1 request per minute reached for this key; retry in 60 s.',
      retryAfterSeconds: 60,
      retryable: true,
      limit: 'rpm',
    });
    expect(access.admit(key, request({ now: JAN_15_NOON + 60_000 }))).toEqual({ ok: true });
  });

  it('refuses over tpm, and for good when one request exceeds the limit', () => {
    const { access, store } = setup();
    const { key } = store.create({ name: 'a', tpm: 10_000 });
    expect(access.admit(key, request({ estimatedTokens: 8_000 })).ok).toBe(true);
    const wait = access.admit(key, request({ estimatedTokens: 4_000 }));
    expect(wait).toMatchObject({ limit: 'tpm', retryAfterSeconds: 12, retryable: true });
    expect(wait.ok === false && wait.message).toContain('10,000 tokens per minute');
    const never = access.admit(key, request({ estimatedTokens: 12_000 }));
    expect(never).toMatchObject({ code: 'rate_limit_exceeded', limit: 'tpm', retryable: false });
    expect(never).not.toHaveProperty('retryAfterSeconds');
    expect(never.ok === false && never.message).toContain('needs an estimated 12,000 tokens');
  });

  it('does not use up rate capacity on a request refused for its budget', () => {
    const { access, store } = setup();
    const { key } = store.create({ name: 'a', rpm: 1, budgetDailyNanos: 5 });
    expect(access.admit(key, request({ estimatedCostNanos: 6 })).ok).toBe(false);
    expect(access.admit(key, request({ estimatedCostNanos: 5 }))).toEqual({ ok: true });
  });
});

describe('KeyAccess.settle', () => {
  it('records the actual cost under the key and corrects the token estimate', () => {
    const { access, store } = setup();
    const { key } = store.create({ name: 'a', tpm: 1_000, budgetDailyNanos: 1_000 });
    expect(access.admit(key, request({ estimatedTokens: 900, estimatedCostNanos: 900 })).ok).toBe(true);
    expect(access.admit(key, request({ estimatedTokens: 900 })).ok).toBe(false);
    const event = usageEvent({ keyId: 'key_other', ts: JAN_15_NOON, costNanos: 300, inputTokens: 60 });
    access.settle(key, { ...event, outputTokens: 40 }, 900);
    expect(access.ledger.spent(key.id, JAN_15_NOON)).toEqual({ dayNanos: 300, monthNanos: 300 });
    expect(access.ledger.spent('key_other', JAN_15_NOON)).toEqual({ dayNanos: 0, monthNanos: 0 });
    expect(access.admit(key, request({ estimatedTokens: 900, estimatedCostNanos: 700 })).ok).toBe(true);
    expect(access.admit(key, request({ estimatedCostNanos: 701 }))).toMatchObject({
      code: 'budget_exceeded',
    });
  });

  it('works with the default clock and limiter', () => {
    const store = new VirtualKeyStore(':memory:');
    const access = new KeyAccess({ store });
    const { key } = store.create({ name: 'a', tpm: 100 });
    access.settle(key, usageEvent({ costNanos: 1 }), 0);
    expect(access.limiter.available(key.id, 'tpm', 100, Date.now())).toBe(100);
  });
});
