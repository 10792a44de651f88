import { closeSync, openSync, readSync } from 'node:fs';
import type { UsageEvent } from '../../contracts/usage.ts';

const NEWLINE = 0x0a;
const READ_CHUNK_BYTES = 1 << 20;

/**
 * Reads a spill file line by line with bounded memory. Splitting on the
 * newline byte is safe for UTF-8 because 0x0A never occurs inside a
 * multi-byte sequence. Synchronous on purpose: it only runs in the worker.
 */
export class SpillLineReader {
  readonly #fd: number;
  readonly #chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  #carry: Buffer = Buffer.alloc(0);
  #queued: string[] = [];
  #eof = false;

  constructor(file: string) {
    this.#fd = openSync(file, 'r');
  }

  /** Up to `max` lines (the last one may lack its newline, i.e. be torn); null once exhausted. */
  next(max: number): string[] | null {
    while (this.#queued.length < max && !this.#eof) this.#readMore();
    if (this.#queued.length === 0) return null;
    return this.#queued.splice(0, max);
  }

  close(): void {
    closeSync(this.#fd);
  }

  #readMore(): void {
    const bytesRead = readSync(this.#fd, this.#chunk, 0, READ_CHUNK_BYTES, null);
    if (bytesRead === 0) {
      this.#eof = true;
      if (this.#carry.length > 0) this.#queued.push(this.#carry.toString('utf8'));
      this.#carry = Buffer.alloc(0);
      return;
    }
    const data = Buffer.concat([this.#carry, this.#chunk.subarray(0, bytesRead)]);
    let start = 0;
    for (let end = data.indexOf(NEWLINE); end !== -1; end = data.indexOf(NEWLINE, start)) {
      this.#queued.push(data.toString('utf8', start, end));
      start = end + 1;
    }
    this.#carry = Buffer.from(data.subarray(start));
  }
}

export interface ParsedChunk {
  events: UsageEvent[];
  /** Lines that were not a JSON object with an id: a torn tail after a crash mid-append. */
  skippedLines: number;
}

export function parseSpillLines(lines: readonly string[]): ParsedChunk {
  const chunk: ParsedChunk = { events: [], skippedLines: 0 };
  for (const line of lines) {
    if (line.trim() === '') continue;
    const event = parseSpillLine(line);
    if (event) chunk.events.push(event);
    else chunk.skippedLines += 1;
  }
  return chunk;
}

function parseSpillLine(line: string): UsageEvent | null {
  try {
    const value: unknown = JSON.parse(line);
    const looksLikeEvent =
      typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string';
    return looksLikeEvent ? (value as UsageEvent) : null;
  } catch {
    return null;
  }
}

export function toSpillLines(events: readonly UsageEvent[]): string {
  let text = '';
  for (const event of events) text += JSON.stringify(event) + '\n';
  return text;
}
