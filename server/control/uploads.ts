import { createWriteStream, mkdirSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ControlError } from './respond.ts';

/** Exports of a year of hourly CUR run to a few GB; past this, import from the CLI instead. */
export const MAX_UPLOAD_BYTES = 8 * 1024 ** 3;

/**
 * Saves an uploaded export under `<dataDir>/imports/`, where it stays: the waste report's evidence
 * points at file and line, so the file must outlive the upload. The name is reduced to a safe base.
 */
export async function saveUpload(req: IncomingMessage, dataDir: string): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_UPLOAD_BYTES) throw new ControlError(413, 'too_large', 'the file is larger than 8 GB');
  const name = safeName(String(req.headers['x-apex-filename'] ?? 'upload'));
  const dir = join(dataDir, 'imports');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${name}`);
  await pipeline(req, createWriteStream(path, { flags: 'wx' }));
  return path;
}

function safeName(raw: string): string {
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // keep the raw header value
  }
  const base = decoded.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .replace(/[^\w.\- ]+/g, '_')
    .replace(/^\.+/, '')
    .slice(0, 120);
  return cleaned || 'upload';
}
