import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { VirtualKeyInfo } from '../../contracts/virtual-keys.ts';
import { dollarsInput, parseDollars } from '../../renderer/src/pages/keys/dollars.ts';
import { EMPTY_FORM, formFromKey, requestFromForm } from '../../renderer/src/pages/keys/key-form.ts';

describe('dollars typed in the keys form', () => {
  it('converts decimal text to exact nano-dollars', () => {
    const cases: Array<[string, number | null]> = [
      ['', null],
      ['  ', null],
      ['0', 0],
      ['5', 5_000_000_000],
      ['0.1', 100_000_000],
      ['12.50', 12_500_000_000],
      ['$1,000.25', 1_000_250_000_000],
      ['.5', 500_000_000],
      ['7.', 7_000_000_000],
      ['0.000000001', 1],
    ];
    for (const [text, nanos] of cases) expect(parseDollars(text), text).toEqual({ ok: true, nanos });
  });

  it('refuses what is not an amount, with a message that says why', () => {
    for (const text of ['abc', '-5', '5.5.5', '1,00', '.', '$', '1e3']) {
      expect(parseDollars(text), text).toMatchObject({ ok: false, message: /dollars/ });
    }
    expect(parseDollars('0.0000000001')).toMatchObject({ ok: false, message: /nine decimals/ });
    expect(parseDollars('99999999999')).toMatchObject({ ok: false, message: /too large/ });
  });

  it('shows nanos back as the plain decimal they came from', () => {
    expect(dollarsInput(null)).toBe('');
    expect(dollarsInput(0)).toBe('0');
    expect(dollarsInput(100_500_000_000)).toBe('100.5');
    expect(dollarsInput(1)).toBe('0.000000001');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (nanos) => {
        expect(parseDollars(dollarsInput(nanos))).toEqual({ ok: true, nanos });
      }),
    );
  });
});

describe('the keys form as an API request', () => {
  it('sends every field, empty ones as null (unlimited), and splits models on commas', () => {
    const result = requestFromForm({
      name: ' alice ',
      project: '',
      daily: '5',
      monthly: '',
      rpm: '60',
      tpm: '100,000',
      models: 'gpt-4o*, , claude-* ',
    });
    expect(result).toEqual({
      ok: true,
      request: {
        name: 'alice',
        project: null,
        budgetDailyNanos: 5_000_000_000,
        budgetMonthlyNanos: null,
        rpm: 60,
        tpm: 100_000,
        models: ['gpt-4o*', 'claude-*'],
      },
    });
  });

  it('names every wrong field at once', () => {
    const result = requestFromForm({
      ...EMPTY_FORM,
      daily: 'five',
      rpm: '0',
      tpm: '1.5',
      project: 'p'.repeat(201),
      models: Array.from({ length: 101 }, (_, i) => `m${i}`).join(','),
    });
    expect(result.ok).toBe(false);
    expect(Object.keys(result.ok ? {} : result.errors).sort()).toEqual(
      ['daily', 'models', 'name', 'project', 'rpm', 'tpm'].sort(),
    );
    expect(requestFromForm({ ...EMPTY_FORM, name: 'x', rpm: '2000000000' })).toMatchObject({
      ok: false,
      errors: { rpm: /1,000,000,000/ },
    });
    expect(requestFromForm({ ...EMPTY_FORM, name: 'x', models: 'm'.repeat(201) })).toMatchObject({
      ok: false,
      errors: { models: /200/ },
    });
  });

  it('fills the edit form from a key, and submitting it unchanged asks for the same key', () => {
    const key: VirtualKeyInfo = {
      id: 'vk_1',
      name: 'bob',
      project: 'search',
      hint: 'sk-apex...abcd',
      createdAt: 0,
      revokedAt: null,
      budgetDailyNanos: 1_250_000_000,
      budgetMonthlyNanos: null,
      rpm: null,
      tpm: 5000,
      models: ['gpt-4.1-mini', 'claude-*'],
      spendTodayNanos: 0,
      spendMonthNanos: 0,
    };
    const form = formFromKey(key);
    expect(form).toEqual({
      name: 'bob',
      project: 'search',
      daily: '1.25',
      monthly: '',
      rpm: '',
      tpm: '5000',
      models: 'gpt-4.1-mini, claude-*',
    });
    expect(requestFromForm(form)).toEqual({
      ok: true,
      request: {
        name: 'bob',
        project: 'search',
        budgetDailyNanos: 1_250_000_000,
        budgetMonthlyNanos: null,
        rpm: null,
        tpm: 5000,
        models: ['gpt-4.1-mini', 'claude-*'],
      },
    });
  });
});
