import { createInterface } from 'node:readline';
import { isRecord } from '../../common/json.ts';
import { openContent, readWhole, stripBom, type FileHead } from './source.ts';
import { FileFormatError, type ImportFormat, type RecordSink, type SourceRecord } from './types.ts';

const BATCH = 2_000;

/** Parses a whole JSON document; the probe and the records both come from it. */
export async function loadJsonDocument(
  file: FileHead,
): Promise<{ document: unknown; text: string; digest: string }> {
  const { content, digest } = await readWhole(file);
  const text = stripBom(content.toString('utf8'));
  try {
    return { document: JSON.parse(text), text, digest };
  } catch (err) {
    throw new FileFormatError(`not valid JSON: ${(err as Error).message}`);
  }
}

/** Emits a JSON document's records (as the format lays them out) with the line each one starts on. */
export function emitJsonRecords(
  text: string,
  document: unknown,
  format: ImportFormat,
  onBatch: RecordSink,
): void {
  if (!format.records) throw new FileFormatError(`${format.label} is not read from a JSON document`);
  const { depth, records } = format.records(document);
  const lines = objectStartLines(text, depth);
  let batch: SourceRecord[] = [];
  let index = 0;
  for (const values of records) {
    batch.push({ line: lines[index] ?? 0, values });
    index++;
    if (batch.length >= BATCH) {
      onBatch(batch);
      batch = [];
    }
  }
  if (batch.length > 0) onBatch(batch);
}

/**
 * Line of every object that opens at the given nesting depth (the root value is depth 1), in document
 * order. JSON.parse gives no positions, so this one pass over the text supplies them.
 */
export function objectStartLines(text: string, depth: number): number[] {
  const lines: number[] = [];
  let line = 1;
  let level = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) i = endOfString(text, i);
    else if (c === 0x0a) line++;
    else if (c === 0x7b || c === 0x5b) {
      level++;
      if (c === 0x7b && level === depth) lines.push(line);
    } else if (c === 0x7d || c === 0x5d) level--;
  }
  return lines;
}

// Index of the closing quote of the string that opens at `start` (strings cannot hold raw newlines).
function endOfString(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote === -1) return text.length;
    let backslashes = 0;
    for (let j = quote - 1; text.charCodeAt(j) === 0x5c; j--) backslashes++;
    if (backslashes % 2 === 0) return quote;
    i = quote + 1;
  }
}

/** First object of a JSON-lines file, for detection. */
export function firstJsonLine(head: Buffer): unknown {
  const line = stripBom(head.toString('utf8')).trimStart().split('\n', 1)[0] ?? '';
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** Streams a JSON-lines file; a line that is not a JSON object becomes a record error. */
export async function readJsonLines(
  file: FileHead,
  onBatch: RecordSink,
  onBytes?: (n: number) => void,
): Promise<string> {
  const content = openContent(file, onBytes);
  const lines = createInterface({ input: content.stream, crlfDelay: Infinity });
  let batch: SourceRecord[] = [];
  let line = 0;
  for await (const raw of lines) {
    line++;
    const text = line === 1 ? stripBom(raw) : raw;
    if (text.trim() === '') continue;
    batch.push(parseLine(text, line));
    if (batch.length >= BATCH) {
      onBatch(batch);
      batch = [];
    }
  }
  if (batch.length > 0) onBatch(batch);
  return content.digest();
}

function parseLine(text: string, line: number): SourceRecord {
  try {
    const value: unknown = JSON.parse(text);
    if (isRecord(value)) return { line, values: value };
    return { line, values: {}, error: 'is not a JSON object' };
  } catch {
    return { line, values: {}, error: 'is not valid JSON' };
  }
}
