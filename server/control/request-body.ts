import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { readBody } from '../../proxy/http/body.ts';
import { ControlError } from './respond.ts';

const MAX_JSON_BODY = 64 * 1024;
/** Enough to fix a form in one go, without echoing a hostile body's thousand problems. */
const MAX_ISSUES_SHOWN = 5;

/** A JSON request body, refused with 415, 413 or 400 before any handler sees it. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/json'))
    throw new ControlError(415, 'unsupported_media_type', 'send JSON');
  const body = await readBody(req, MAX_JSON_BODY).catch(() => {
    throw new ControlError(413, 'too_large', `the body is larger than ${MAX_JSON_BODY} bytes`);
  });
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new ControlError(400, 'invalid_json', 'the body is not valid JSON');
  }
}

/**
 * The input validated by `schema`, or a 400 whose message names each problem by its path
 * ("budgetDailyNanos: ...; models.0: ..."), first problem first.
 */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, MAX_ISSUES_SHOWN).map((issue) => {
    const where = issue.path.length ? `${issue.path.map(String).join('.')}: ` : '';
    return `${where}${issue.message}`;
  });
  throw new ControlError(400, 'invalid_request', issues.join('; ') || 'invalid request');
}
