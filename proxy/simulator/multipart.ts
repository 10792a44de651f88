/** multipart/form-data uploads (POST /v1/files), parsed by the runtime's own fetch Response. */
import type { IncomingMessage } from 'node:http';

/** Batch input files are at most 200 MB at OpenAI; the simulator keeps everything in memory. */
const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

export type FormResult = { ok: true; form: FormData } | { ok: false; reason: 'too_large' | 'invalid' };

export async function readForm(req: IncomingMessage): Promise<FormResult> {
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*;/i.test(type)) return { ok: false, reason: 'invalid' };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_UPLOAD_BYTES) return { ok: false, reason: 'too_large' };
    chunks.push(chunk);
  }
  try {
    const body = new Uint8Array(Buffer.concat(chunks));
    return { ok: true, form: await new Response(body, { headers: { 'content-type': type } }).formData() };
  } catch {
    return { ok: false, reason: 'invalid' };
  }
}

export interface UploadedFile {
  filename: string;
  content: Buffer;
}

/** The named field when it is a file part, not a plain text field. */
export async function formFile(form: FormData, name: string): Promise<UploadedFile | undefined> {
  const value = form.get(name);
  if (value === null || typeof value === 'string') return undefined;
  return { filename: value.name, content: Buffer.from(await value.arrayBuffer()) };
}
