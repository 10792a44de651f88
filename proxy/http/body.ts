import type { IncomingMessage } from 'node:http';
import { ApexError } from './errors.ts';

/**
 * Reads a request body up to `limit` bytes. Declared oversize bodies are refused
 * before reading; undeclared ones stop being read once they cross the limit.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

function tooLarge(limit: number): ApexError {
  return new ApexError('request_too_large', `request body exceeds the ${limit}-byte limit`, {
    code: 'request_too_large',
  });
}

/** Parses a JSON object body, with errors a client can act on. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0)
    throw new ApexError('invalid_request', 'request body is empty; expected a JSON object');
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new ApexError('invalid_request', `request body is not valid JSON: ${(error as Error).message}`, {
      code: 'invalid_json',
    });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ApexError('invalid_request', 'request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}
