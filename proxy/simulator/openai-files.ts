/**
 * OpenAI's Files API, as far as batches need it: upload (multipart), retrieve
 * and download. Files live in memory, per simulator instance, and batches
 * store their output and error files here too.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { perSimulator, type BatchRoute } from './batch-runner.ts';
import type { SimulatorContext } from './context.ts';
import { openaiError, type ErrorReply } from './errors.ts';
import { nowSeconds, sendJson } from './http.ts';
import { formFile, readForm } from './multipart.ts';
import { missingParameter, sendOpenAIError } from './openai-common.ts';

const PURPOSES = new Set(['batch', 'assistants', 'fine-tune', 'vision', 'user_data', 'evals']);

export interface StoredFile {
  object: {
    id: string;
    object: 'file';
    bytes: number;
    created_at: number;
    filename: string;
    purpose: string;
  };
  content: Buffer;
}

const filesOf = perSimulator<StoredFile>();

export function openaiRequestId(ctx: SimulatorContext): string {
  return `req_${ctx.rng.hex(32)}`;
}

export function failOpenAI(ctx: SimulatorContext, res: ServerResponse, reply: ErrorReply): void {
  sendOpenAIError(res, reply, openaiRequestId(ctx));
}

export function invalidValue(param: string, message: string): ErrorReply {
  return openaiError(400, message, 'invalid_request_error', 'invalid_value', param);
}

export function storeFile(
  ctx: SimulatorContext,
  filename: string,
  purpose: string,
  content: Buffer,
): StoredFile {
  const id = `file-${ctx.rng.id(22)}`;
  const created = nowSeconds();
  const object = {
    id,
    object: 'file' as const,
    bytes: content.length,
    created_at: created,
    filename,
    purpose,
  };
  const file = { object, content };
  filesOf(ctx).set(id, file);
  return file;
}

export function storedFile(ctx: SimulatorContext, id: string): StoredFile | undefined {
  return filesOf(ctx).get(id);
}

export function noSuchFile(id: string, param: string): ErrorReply {
  return openaiError(404, `No such File object: ${id}`, 'invalid_request_error', null, param);
}

function fileObject(file: StoredFile) {
  // Deprecated, but OpenAI still sends them and SDK types still declare them.
  return { ...file.object, status: 'processed', status_details: null };
}

async function uploadFile(ctx: SimulatorContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const parsed = await readForm(req);
  if (!parsed.ok) {
    if (parsed.reason === 'too_large')
      return failOpenAI(ctx, res, openaiError(413, 'File too large.', 'invalid_request_error'));
    const message = 'Expected a multipart/form-data body with a `file` and a `purpose`.';
    return failOpenAI(ctx, res, openaiError(400, message, 'invalid_request_error'));
  }
  const purpose = parsed.form.get('purpose');
  if (typeof purpose !== 'string' || purpose === '') return failOpenAI(ctx, res, missingParameter('purpose'));
  if (!PURPOSES.has(purpose))
    return failOpenAI(ctx, res, invalidValue('purpose', `Invalid value for 'purpose': '${purpose}'.`));
  const upload = await formFile(parsed.form, 'file');
  if (!upload) return failOpenAI(ctx, res, missingParameter('file'));
  const file = storeFile(ctx, upload.filename, purpose, upload.content);
  sendJson(res, 200, fileObject(file), { 'x-request-id': openaiRequestId(ctx) });
}

function findFile(ctx: SimulatorContext, res: ServerResponse, id: string): StoredFile | undefined {
  const file = storedFile(ctx, id);
  if (!file) failOpenAI(ctx, res, noSuchFile(id, 'id'));
  return file;
}

function retrieveFile(ctx: SimulatorContext, _req: IncomingMessage, res: ServerResponse, id: string): void {
  const file = findFile(ctx, res, id);
  if (file) sendJson(res, 200, fileObject(file), { 'x-request-id': openaiRequestId(ctx) });
}

function fileContent(ctx: SimulatorContext, _req: IncomingMessage, res: ServerResponse, id: string): void {
  const file = findFile(ctx, res, id);
  if (!file) return;
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': file.content.length,
    'x-request-id': openaiRequestId(ctx),
  });
  res.end(file.content);
}

export const FILE_ROUTES: BatchRoute[] = [
  { method: 'POST', pattern: /^\/v1\/files$/, handle: uploadFile },
  { method: 'GET', pattern: /^\/v1\/files\/([^/]+)$/, handle: retrieveFile },
  { method: 'GET', pattern: /^\/v1\/files\/([^/]+)\/content$/, handle: fileContent },
];
