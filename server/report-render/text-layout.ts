/** Plain-text layout for the terminal report: safe strings, wrapping, tables and optional ANSI. */

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
}

const PLAIN: Style = { bold: (t) => t, dim: (t) => t };
// 22m resets both bold and dim, so nested styles never leave the terminal dim.
const ANSI: Style = { bold: (t) => `\x1b[1m${t}\x1b[22m`, dim: (t) => `\x1b[2m${t}\x1b[22m` };

export function styleFor(color: boolean): Style {
  return color ? ANSI : PLAIN;
}

// Control characters and bidi overrides in a file name or prompt could move the cursor, recolor
// the terminal or reorder what the reader sees; user data must print as inert text.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function clean(text: string): string {
  return text.replace(UNSAFE, ' ');
}

/** Cuts text to `width` characters, marking the cut with an ellipsis. */
export function truncate(text: string, width: number): string {
  if (text.length <= width) return text;
  if (width <= 1) return text.slice(0, Math.max(0, width));
  return `${text.slice(0, width - 1)}…`;
}

/** Greedy word wrap; a word longer than the line (a long path) is split rather than overflowing. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of clean(text).split(/ +/).filter(Boolean)) {
    for (const piece of chunks(word, width)) {
      if (line === '') line = piece;
      else if (line.length + 1 + piece.length <= width) line += ` ${piece}`;
      else {
        lines.push(line);
        line = piece;
      }
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/** Wraps `text` under a first-line prefix, continuing lines aligned beneath the prefix's end. */
export function hangingWrap(prefix: string, text: string, width: number): string[] {
  const body = wrap(text, Math.max(10, width - prefix.length));
  const pad = ' '.repeat(prefix.length);
  return body.map((line, i) => `${i === 0 ? prefix : pad}${line}`);
}

function chunks(word: string, width: number): string[] {
  if (word.length <= width) return [word];
  const out: string[] = [];
  for (let i = 0; i < word.length; i += width) out.push(word.slice(i, i + width));
  return out;
}

export interface Column {
  header: string;
  align: 'left' | 'right';
}

const GAP = '  ';
const MIN_FLEX_WIDTH = 8;

/**
 * A table indented by `indent` that fits `width`: when it would not, the first column (names, which
 * vary most in length) is truncated. Styling is applied after padding so escapes do not skew widths.
 */
export function table(
  columns: Column[],
  rows: string[][],
  width: number,
  style: Style,
  indent = 2,
): string[] {
  const cells = rows.map((r) => r.map(clean));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => (r[i] ?? '').length)));
  const total = indent + widths.reduce((s, w) => s + w, 0) + GAP.length * (columns.length - 1);
  if (total > width && widths.length > 0) {
    widths[0] = Math.max(MIN_FLEX_WIDTH, (widths[0] ?? 0) - (total - width));
  }
  const pad = ' '.repeat(indent);
  const line = (row: string[]): string =>
    columns
      .map((c, i) => {
        const text = truncate(row[i] ?? '', widths[i] ?? 0);
        return c.align === 'left' ? text.padEnd(widths[i] ?? 0) : text.padStart(widths[i] ?? 0);
      })
      .join(GAP)
      .trimEnd();
  return [style.dim(pad + line(columns.map((c) => c.header))), ...cells.map((r) => pad + line(r))];
}

/** "── Findings (3) ─────" across the width, so sections stand out without color. */
export function heading(title: string, width: number, style: Style): string {
  const text = `── ${title} `;
  return style.bold(text + '─'.repeat(Math.max(3, width - text.length)));
}

export type Pair = [label: string, value: string, bold?: boolean];

/** Label/value pairs with the values aligned and wrapped under themselves to fit the width. */
export function pairs(rows: Pair[], width: number, style: Style, indent = 2): string[] {
  const labelWidth = Math.max(...rows.map(([label]) => label.length));
  const pad = ' '.repeat(indent);
  const valueWidth = Math.max(10, width - indent - labelWidth - 2);
  return rows.flatMap(([label, value, bold]) =>
    wrap(value, valueWidth).map((line, i) => {
      const shownLabel = i === 0 ? style.dim(label.padEnd(labelWidth)) : ' '.repeat(labelWidth);
      return `${pad}${shownLabel}  ${bold ? style.bold(line) : line}`;
    }),
  );
}
