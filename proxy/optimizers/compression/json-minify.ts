import { joinSegments, splitFences } from './fences.ts';

/**
 * JSON minification that never re-serializes values: once JSON.parse has confirmed the text is a
 * complete JSON document, only the insignificant whitespace between tokens is removed. Numbers
 * (12345678901234567890, 1.0, 1e3, -0), string escapes, duplicate keys and key order therefore
 * survive byte-for-byte, which JSON.stringify(JSON.parse(x)) would not guarantee.
 */

const JSON_WHITESPACE = new Set([' ', '\t', '\n', '\r']);

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Removes whitespace outside string literals; the input must already be valid JSON. */
function stripInsignificant(json: string): string {
  let out = '';
  let start = 0;
  let inString = false;
  for (let index = 0; index < json.length; index += 1) {
    const char = json[index]!;
    if (inString) {
      if (char === '\\') index += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (JSON_WHITESPACE.has(char)) {
      out += json.slice(start, index);
      start = index + 1;
    }
  }
  return out + json.slice(start);
}

/**
 * The compact form of a text that is, in full, a JSON object or array; null when it is not JSON
 * (or is a bare scalar, where there is nothing to gain and "42" may well be prose).
 */
export function minifyJson(text: string): string | null {
  const trimmed = text.trim();
  const first = trimmed[0];
  if ((first !== '{' && first !== '[') || !parses(trimmed)) return null;
  return stripInsignificant(trimmed);
}

const JSON_INFO = new Set(['json', 'json5', 'jsonc']);

function minifyFence(block: string): string {
  const body = block.endsWith('\n') ? block.slice(0, -1) : block;
  const firstBreak = body.indexOf('\n');
  const lastBreak = body.lastIndexOf('\n');
  // Only closed fences: an unclosed one may be a truncated document still being written.
  if (firstBreak < 0 || lastBreak <= firstBreak || !/^\s*(`{3,}|~{3,})\s*$/.test(body.slice(lastBreak + 1))) {
    return block;
  }
  const minified = minifyJson(body.slice(firstBreak + 1, lastBreak));
  if (minified === null) return block;
  return block.slice(0, firstBreak + 1) + minified + block.slice(lastBreak);
}

/**
 * Minifies ```json fenced blocks inside a text. JSONC and JSON5 fences are only touched when their
 * body is plain JSON (no comments), since comments would not parse.
 */
export function minifyJsonFences(text: string): string {
  if (!text.includes('```') && !text.includes('~~~')) return text;
  const segments = splitFences(text);
  let changed = false;
  const next = segments.map((segment) => {
    if (!segment.code || !JSON_INFO.has(segment.info)) return segment;
    const minified = minifyFence(segment.text);
    changed ||= minified !== segment.text;
    return { ...segment, text: minified };
  });
  return changed ? joinSegments(next) : text;
}
