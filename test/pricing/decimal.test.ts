import { describe, expect, it } from 'vitest';
import {
  nanosToUsd,
  PriceFormatError,
  usdPerMillionToNanos,
  usdPerTokenToNanosPerMillion,
} from '../../pricing/decimal.ts';

describe('usdPerMillionToNanos', () => {
  it.each([
    ['2.50', 2_500_000_000],
    ['0.0375', 37_500_000],
    ['1e-7', 100],
    ['1E+3', 1_000_000_000_000],
    ['.5', 500_000_000],
    ['5.', 5_000_000_000],
    ['0', 0],
    ['  3.75 ', 3_750_000_000],
    ['0.000000001', 1],
    ['120.00', 120_000_000_000],
  ])('converts %j exactly', (text, nanos) => {
    expect(usdPerMillionToNanos(text)).toBe(nanos);
  });

  it('converts numbers through their shortest decimal string, not float multiplication', () => {
    // 1.1 * 1e9 === 1100000000.0000002 and 0.075 * 1e9 === 74999999.99999999 in floats.
    expect(usdPerMillionToNanos(1.1)).toBe(1_100_000_000);
    expect(usdPerMillionToNanos(0.075)).toBe(75_000_000);
    expect(usdPerMillionToNanos(0.1)).toBe(100_000_000);
    expect(usdPerMillionToNanos(22.5)).toBe(22_500_000_000);
    expect(usdPerMillionToNanos(1e-7)).toBe(100);
  });

  it('rounds half-up below one nano-dollar per 1M tokens', () => {
    expect(usdPerMillionToNanos('0.0000000005')).toBe(1);
    expect(usdPerMillionToNanos('0.00000000049')).toBe(0);
    expect(usdPerMillionToNanos('1e-400')).toBe(0);
  });

  it.each([
    ['-1'],
    ['-0.5'],
    ['abc'],
    [''],
    ['1.2.3'],
    ['+1'],
    ['1e'],
    ['0x10'],
    ['NaN'],
    ['Infinity'],
    ['1,5'],
  ])('rejects %j with a clear error', (text) => {
    expect(() => usdPerMillionToNanos(text)).toThrow(PriceFormatError);
    expect(() => usdPerMillionToNanos(text)).toThrow(/invalid price/);
  });

  it('rejects negative, non-finite and non-numeric values', () => {
    expect(() => usdPerMillionToNanos(-0.01)).toThrow(/negative/);
    expect(() => usdPerMillionToNanos(Number.NaN)).toThrow(/not a finite number/);
    expect(() => usdPerMillionToNanos(Number.POSITIVE_INFINITY)).toThrow(/not a finite number/);
    expect(() => usdPerMillionToNanos(null as unknown as string)).toThrow(/expected a decimal/);
    expect(() => usdPerMillionToNanos('1e999')).toThrow(/exponent out of range/);
    expect(() => usdPerMillionToNanos('1e10')).toThrow(/too large/);
  });
});

describe('usdPerTokenToNanosPerMillion', () => {
  it("converts LiteLLM's per-token floats exactly", () => {
    expect(usdPerTokenToNanosPerMillion(2.5e-6)).toBe(2_500_000_000);
    expect(usdPerTokenToNanosPerMillion(3.75e-6)).toBe(3_750_000_000);
    expect(usdPerTokenToNanosPerMillion(3e-7)).toBe(300_000_000);
    expect(usdPerTokenToNanosPerMillion(2e-8)).toBe(20_000_000);
    expect(usdPerTokenToNanosPerMillion(5.9e-7)).toBe(590_000_000);
    expect(usdPerTokenToNanosPerMillion('0.0000025')).toBe(2_500_000_000);
  });

  it('rounds float noise in source data to the nearest nano per 1M tokens', () => {
    expect(usdPerTokenToNanosPerMillion(1.4999999999999999e-7)).toBe(150_000_000);
  });
});

describe('nanosToUsd', () => {
  it('formats exactly', () => {
    expect(nanosToUsd(5_615_000)).toBe('0.005615');
    expect(nanosToUsd(0)).toBe('0');
    expect(nanosToUsd(1)).toBe('0.000000001');
    expect(nanosToUsd(12_000_000_000n)).toBe('12');
    expect(nanosToUsd(-1_500_000_000)).toBe('-1.5');
  });
});
