import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinSegments, splitFences } from '../../../../proxy/optimizers/compression/fences.ts';
import { compactWhitespace } from '../../../../proxy/optimizers/compression/whitespace.ts';

describe('whitespace compaction', () => {
  it('strips trailing spaces, folds blank-line runs and double spaces in prose', () => {
    const text = 'Hello there.  How are you?   \n\n\n\nSecond   paragraph.\t\nEnd';
    expect(compactWhitespace(text)).toBe('Hello there. How are you?\n\nSecond paragraph.\nEnd');
  });

  it('keeps fenced code blocks byte-for-byte', () => {
    const code = '```python\ndef f(x):\n    return  x   \n\n\n\n    # end\n```';
    const text = `Look  at this:   \n\n\n${code}\n\n\nThanks  a lot.`;
    const out = compactWhitespace(text);
    expect(out).toContain(code);
    expect(out).toBe(`Look at this:\n\n${code}\n\nThanks a lot.`);
  });

  it('keeps tilde fences and unclosed fences intact', () => {
    const tilde = '~~~\na    b\n~~~';
    expect(compactWhitespace(`Intro  text\n${tilde}`)).toBe(`Intro text\n${tilde}`);
    const unclosed = 'See  below\n```\nx  =  1   \n\n\n\ny = 2';
    expect(compactWhitespace(unclosed)).toBe('See below\n```\nx  =  1   \n\n\n\ny = 2');
  });

  it('leaves text untouched when its layout may matter', () => {
    const cases = [
      'def f(x):\n    return  x\n\n\n\nprint(f(1))  ',
      'server:\n  port:  8080\n  host: "a  b"   ',
      '| a  | b |\n| -- | -- |\n| 1  | 2 |   ',
      'Example:\n\n    indented  code   \n\n\n\nmore',
      'diff --git a/x b/x\n@@ -1 +1 @@\n-a  b\n+a   b  ',
      'NAME      READY   STATUS\napi-1     1/1     Running\nweb-2     0/1     Pending  ',
      'int main() {\n  return  0;   \n}',
    ];
    for (const text of cases) expect(compactWhitespace(text)).toBe(text);
  });

  it('keeps tabs and leading indentation of nested list items, and inline code spans', () => {
    expect(compactWhitespace('a\t\tb  c')).toBe('a\t\tb c');
    expect(compactWhitespace('- item  one\n  - nested  item   ')).toBe('- item one\n  - nested item');
    expect(compactWhitespace('Run `a  b` now  please')).toBe('Run `a  b` now please');
  });

  it('returns the same string when nothing changes and is idempotent', () => {
    const compact = 'Already compact.\n\nNothing to do.';
    expect(compactWhitespace(compact)).toBe(compact);
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', ' ', '\n', '\t', '`', '|', '-', '.', 'x', ':') }),
        (text) => {
          const once = compactWhitespace(text);
          expect(compactWhitespace(once)).toBe(once);
          // Only whitespace is ever removed: the non-whitespace characters survive in order.
          expect(once.replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
        },
      ),
    );
  });
});

describe('fence splitting', () => {
  it('round-trips any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('`', '~', '\n', ' ', 'a', 'json') }), (text) => {
        expect(joinSegments(splitFences(text))).toBe(text);
      }),
    );
  });

  it('marks fenced blocks with their info string', () => {
    const segments = splitFences('a\n```JSON\n{}\n```\nb');
    expect(segments.map((s) => [s.code, s.info])).toEqual([
      [false, ''],
      [true, 'json'],
      [false, ''],
    ]);
  });
});
