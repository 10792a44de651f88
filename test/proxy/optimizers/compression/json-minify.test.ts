import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minifyJson, minifyJsonFences } from '../../../../proxy/optimizers/compression/json-minify.ts';

describe('JSON minification', () => {
  it('minifies pretty-printed JSON keeping key order', () => {
    const pretty = JSON.stringify({ b: 1, a: [1, 2, { c: 'x y' }] }, null, 2);
    expect(minifyJson(pretty)).toBe('{"b":1,"a":[1,2,{"c":"x y"}]}');
  });

  it('preserves every number token exactly, including ones JSON.parse would alter', () => {
    const text =
      '{\n  "big": 12345678901234567890,\n  "float": 1.0,\n  "exp": 1E+3,\n  "neg": -0,\n  "tiny": 0.10\n}';
    expect(minifyJson(text)).toBe('{"big":12345678901234567890,"float":1.0,"exp":1E+3,"neg":-0,"tiny":0.10}');
  });

  it('preserves whitespace and escapes inside strings, and duplicate keys', () => {
    const text = '{ "s": "a  b\\n\\"  c\\\\", "u": "\\u00e9", "s": 2 }';
    expect(minifyJson(text)).toBe('{"s":"a  b\\n\\"  c\\\\","u":"\\u00e9","s":2}');
  });

  it('leaves non-JSON and bare scalars alone', () => {
    for (const text of ["{'a': 1}", '{"a": 1,}', 'hello {"a": 1}', '42', '"str"', '{"a": 1} trailing', '']) {
      expect(minifyJson(text)).toBeNull();
    }
  });

  it('round-trips arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2, 4), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        const minified = minifyJson(text);
        if (minified === null) return;
        expect(JSON.parse(minified)).toEqual(JSON.parse(text));
        expect(minified).toBe(JSON.stringify(JSON.parse(text)));
      }),
    );
  });

  it('minifies closed ```json fences inside text and nothing else', () => {
    const text = 'Result:\n```json\n{\n  "a": 1.50\n}\n```\nand\n```js\nconst a = { b:  1 };\n```\n';
    expect(minifyJsonFences(text)).toBe(
      'Result:\n```json\n{"a":1.50}\n```\nand\n```js\nconst a = { b:  1 };\n```\n',
    );
    const commented = '```jsonc\n{\n  // note\n  "a": 1\n}\n```';
    expect(minifyJsonFences(commented)).toBe(commented);
    const unclosed = '```json\n{\n  "a": 1\n}';
    expect(minifyJsonFences(unclosed)).toBe(unclosed);
  });
});
