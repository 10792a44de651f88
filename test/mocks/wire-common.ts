/**
 * Small helpers shared by the OpenAI and Anthropic wire builders: provider-style
 * ids, timestamps, splitting text into stream deltas, and reading the parsed
 * request body without trusting its shape.
 */
import { randomBytes } from 'node:crypto';
import type { RecordedRequest } from '../support/mock-upstream.ts';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `prefix` plus random base62, the way provider ids look (`chatcmpl-…`, `msg_01…`). */
export function randomId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let suffix = '';
  for (const byte of bytes) suffix += ID_ALPHABET[byte % ID_ALPHABET.length];
  return `${prefix}${suffix}`;
}

export function randomHex(length: number): string {
  return randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length);
}

export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * Splits text into word-sized deltas that concatenate back to the original,
 * so stream consumers are exercised on more than one chunk.
 */
export function splitIntoDeltas(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text === '' ? [] : [text]);
}

/** Splits a JSON argument string into a few pieces, as providers stream tool input. */
export function splitIntoPieces(text: string, pieces = 3): string[] {
  if (text.length <= pieces) return [text];
  const size = Math.ceil(text.length / pieces);
  const result: string[] = [];
  for (let start = 0; start < text.length; start += size) result.push(text.slice(start, start + size));
  return result;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** A top-level field of the request's JSON body, or undefined. */
export function requestField(request: RecordedRequest | undefined, field: string): unknown {
  return asRecord(request?.json)[field];
}

/** A field nested one level down, e.g. `stream_options.include_usage`. */
export function requestSubField(
  request: RecordedRequest | undefined,
  field: string,
  subField: string,
): unknown {
  return asRecord(requestField(request, field))[subField];
}

export function requestModel(request: RecordedRequest | undefined, fallback: string): string {
  const model = requestField(request, 'model');
  return typeof model === 'string' && model !== '' ? model : fallback;
}
