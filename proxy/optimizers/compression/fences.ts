/**
 * Splits text into fenced code blocks and the prose between them, so rewrites can leave code
 * byte-for-byte intact. Follows CommonMark fences: ``` or ~~~ (three or more), indented at most
 * three spaces, closed by the same character at least as long; an unclosed fence runs to the end.
 */

export interface Segment {
  code: boolean;
  /** The segment's text; a code segment includes its fence lines. */
  text: string;
  /** The fence's info string ("json", "python"...), lowercased; empty for prose. */
  info: string;
}

const OPENING = /^ {0,3}(`{3,}|~{3,})([^\n]*)$/;

function closes(line: string, fence: string): boolean {
  const trimmed = line.replace(/\r$/, '').trim();
  return trimmed.length >= fence.length && trimmed === fence[0]!.repeat(trimmed.length);
}

export function splitFences(text: string): Segment[] {
  if (!text.includes('```') && !text.includes('~~~')) return [{ code: false, text, info: '' }];
  const lines = text.split('\n');
  const segments: Segment[] = [];
  let prose: string[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index]!;
    const open = OPENING.exec(line.replace(/\r$/, ''));
    // A backtick fence's info string may not contain backticks (that is inline code).
    if (!open || (open[1]!.startsWith('`') && open[2]!.includes('`'))) {
      prose.push(line);
      index += 1;
      continue;
    }
    let end = index + 1;
    while (end < lines.length && !closes(lines[end]!, open[1]!)) end += 1;
    if (prose.length > 0) segments.push({ code: false, text: prose.join('\n') + '\n', info: '' });
    prose = [];
    const block = lines.slice(index, Math.min(end + 1, lines.length)).join('\n');
    const last = end + 1 >= lines.length;
    segments.push({ code: true, text: last ? block : block + '\n', info: open[2]!.trim().toLowerCase() });
    index = end + 1;
  }
  if (prose.length > 0) segments.push({ code: false, text: prose.join('\n'), info: '' });
  return segments;
}

export function joinSegments(segments: Segment[]): string {
  return segments.map((segment) => segment.text).join('');
}
