import { joinSegments, splitFences } from './fences.ts';

/**
 * Whitespace compaction for prose: strips trailing spaces, folds runs of blank lines into one and
 * runs of spaces between words into one. Fenced code is never touched, and a text whose prose
 * looks like it may carry meaning in its layout (indented code, Python, YAML, tables, diffs,
 * column-aligned output) is returned unchanged: a missed saving is cheap, a broken program is not.
 *
 * Deliberately conservative choices:
 * - tabs are never rewritten (tab-separated data uses empty fields, "a\t\tb");
 * - leading indentation is never rewritten;
 * - inline code spans (`a  b`) keep their spaces;
 * - Markdown's two-space hard line break is dropped: the newline after it is kept, which is all a
 *   model reads from it.
 */

// Cheap pre-check: is there anything this step could remove at all?
const COMPACTABLE = /[ \t]\r?\n|[ \t]$| {2}\S|\n[ \t]*\r?\n[ \t]*\r?\n/;

const LIST_ITEM = /^\s+([-*+]|\d{1,3}[.)])\s/;
const KEY_VALUE = /^\s*(-\s+)?["']?[\w.-]+["']?:(\s|$)/;
const TABLE_ROW = /^\s*\|.*\|\s*$/;
const DIFF_LINE = /^(diff --git |@@ -\d|\+\+\+ |--- a\/|index [0-9a-f]{6,}\.\.)/;
const CODE_LINE_END = /[{};]\s*$|^\s*[}\])]/;
const CODE_LINE_START =
  /^(#!|#include\b|def \w+\(|class \w+[(:]|import \w|from [\w.]+ import\b|package \w|func \w|fn \w)/;

/** Whether a prose line suggests the text's layout is significant. */
function significantLine(line: string): boolean {
  if (/^[ \t]/.test(line) && line.trim() !== '') {
    // Nested Markdown list items are prose; nested "key: value" items may be YAML.
    return !LIST_ITEM.test(line) || KEY_VALUE.test(line);
  }
  return (
    TABLE_ROW.test(line) || DIFF_LINE.test(line) || CODE_LINE_END.test(line) || CODE_LINE_START.test(line)
  );
}

/** Columns where a token starts right after a run of two or more spaces. */
function columnStarts(line: string): Set<number> {
  const starts = new Set<number>();
  for (const match of line.matchAll(/(?<=\S) {2,}(?=\S)/g)) starts.add(match.index + match[0].length);
  return starts;
}

/**
 * True when the prose (code fences removed) looks like code, data or aligned columns. Aligned
 * columns are two consecutive lines with a token starting at the same column after a run of
 * spaces; a stray double space after a full stop in prose does not line up like that.
 */
export function looksLayoutSensitive(prose: string): boolean {
  let previous = new Set<number>();
  for (const line of prose.split('\n')) {
    if (significantLine(line)) return true;
    const starts = columnStarts(line.replace(/`[^`\n]*`/g, (span) => 'x'.repeat(span.length)));
    for (const column of starts) if (previous.has(column)) return true;
    previous = starts;
  }
  return false;
}

function compactLine(line: string): string {
  const carriage = line.endsWith('\r') ? '\r' : '';
  const body = carriage ? line.slice(0, -1) : line;
  const indent = /^[ \t]*/.exec(body)![0];
  const rest = body
    .slice(indent.length)
    .replace(/[ \t]+$/, '')
    // Inline code spans are matched first so their inner spaces survive.
    .replace(/(`+)[^`\n]*?\1|(?<=\S) {2,}(?=\S)/g, (match, tick: string | undefined) => (tick ? match : ' '));
  return rest === '' ? carriage : indent + rest + carriage;
}

function compactProse(prose: string): string {
  // A final newline ends the last line; it does not start a blank one.
  const ending = prose.endsWith('\n') ? '\n' : '';
  const out: string[] = [];
  let blank = 0;
  for (const line of (ending ? prose.slice(0, -1) : prose).split('\n')) {
    const compacted = compactLine(line);
    blank = compacted.trim() === '' ? blank + 1 : 0;
    if (blank < 2) out.push(compacted);
  }
  return out.join('\n') + ending;
}

/** Returns the text with prose whitespace compacted, or the same string when unsafe or unchanged. */
export function compactWhitespace(text: string): string {
  if (!COMPACTABLE.test(text)) return text;
  const segments = splitFences(text);
  if (segments.some((segment) => !segment.code && looksLayoutSensitive(segment.text))) return text;
  const compacted = joinSegments(
    segments.map((segment) => (segment.code ? segment : { ...segment, text: compactProse(segment.text) })),
  );
  return compacted === text ? text : compacted;
}
