import { describe, expect, it } from 'vitest';
import { count, decimalToNanos, money, tags, toEpochMs } from '../../../analytics/import/fields.ts';
import { objectStartLines } from '../../../analytics/import/read-json.ts';
import { RowError } from '../../../analytics/import/types.ts';

describe('decimalToNanos', () => {
  it('is exact for the decimals bills are written in', () => {
    expect(decimalToNanos('786.5424')).toBe(786_542_400_000);
    expect(decimalToNanos('0.000000001')).toBe(1);
    expect(decimalToNanos(0.1)).toBe(100_000_000);
    expect(decimalToNanos('-12.5')).toBe(-12_500_000_000);
    expect(decimalToNanos('1.2E-5')).toBe(12_000);
    expect(decimalToNanos('3e3')).toBe(3_000_000_000_000);
    expect(decimalToNanos('.5')).toBe(500_000_000);
    expect(decimalToNanos(12n)).toBe(12_000_000_000);
  });

  it('rounds past nine decimals half away from zero, once', () => {
    expect(decimalToNanos('0.0000000015')).toBe(2);
    expect(decimalToNanos('0.0000000014999')).toBe(1);
    expect(decimalToNanos('1234567.1234567895')).toBe(1_234_567_123_456_790);
    // Beyond 2^53 nano-dollars (about $9M in one row) an exact integer is impossible: refuse, never round.
    expect(decimalToNanos('12345678.1234567891')).toBeNull();
  });

  it('refuses what is not a number', () => {
    for (const bad of ['', 'abc', '1.2.3', '$5', 'NaN', Number.NaN, Infinity, {}, null]) {
      expect(decimalToNanos(bad)).toBeNull();
    }
  });
});

describe('field readers', () => {
  it('name the field and the bad value in their errors', () => {
    expect(() => count({ input_tokens: '12O00' }, 'input_tokens')).toThrow(
      new RowError('input_tokens is not a whole number: "12O00"'),
    );
    expect(() => money({ cost: 'abc' }, 'cost')).toThrow(/cost is not an amount: "abc"/);
    expect(count({ n: 7n }, 'n')).toBe(7);
    expect(count({}, 'n')).toBeNull();
    expect(() => count({ n: -1 }, 'n')).toThrow(RowError);
    expect(() => count({ n: 1.5 }, 'n')).toThrow(RowError);
  });

  it('read every timestamp spelling found in exports', () => {
    const oct1 = Date.UTC(2026, 9, 1);
    for (const value of [
      '2026-10-01T00:00:00Z',
      '2026-10-01',
      '10/01/2026',
      '2026-10-01 00:00:00 UTC',
      1790812800,
      '1790812800',
      new Date(oct1),
    ]) {
      expect(toEpochMs(value), String(value)).toBe(oct1);
    }
    expect(toEpochMs('2026-10-01T02:00:00+02:00')).toBe(oct1);
    expect(toEpochMs('not a date')).toBeNull();
  });

  it('read tags from JSON, maps and key/value lists', () => {
    expect(tags('{"a":"1","b":2}')).toEqual({ a: '1', b: '2' });
    expect(tags(new Map([['a', 'x']]))).toEqual({ a: 'x' });
    expect(tags([{ key: 'team', value: 'ml' }])).toEqual({ team: 'ml' });
    expect(tags('')).toBeNull();
    expect(() => tags('{broken')).toThrow(RowError);
  });
});

describe('objectStartLines', () => {
  it('finds the line of every record object, ignoring braces inside strings', () => {
    const text = [
      '{"data": [',
      '  {"results": [',
      '    {"a": "{not}"},',
      '    {"b": "x\\"}"}',
      '  ]}',
      ']}',
    ].join('\n');
    expect(objectStartLines(text, 5)).toEqual([3, 4]);
    expect(objectStartLines(text, 3)).toEqual([2]);
  });
});
