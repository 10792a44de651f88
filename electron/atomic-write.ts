// Write-then-rename, so a crash or a full disk never leaves a half-written file where a whole one was.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { dirname } from 'node:path';

/** The file operations used, injectable so a test can make one fail halfway. */
export interface WriteOps {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  writeFile(path: string, data: string, options: { mode: number; flush: boolean }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { force: true }): Promise<void>;
}

export const nodeWriteOps: WriteOps = {
  mkdir: (path, options) => fs.mkdir(path, options),
  writeFile: (path, data, options) => fs.writeFile(path, data, options),
  rename: (from, to) => fs.rename(from, to),
  rm: (path, options) => fs.rm(path, options),
};

/**
 * Writes `data` to a temporary file beside `file` (owner-only, flushed to disk), then renames it over
 * `file`: a rename within one folder is atomic, so readers see the old file or the new one, never a
 * part. On any failure the temporary file is removed and the old file stays as it was.
 */
export async function writeFileAtomic(
  file: string,
  data: string,
  ops: WriteOps = nodeWriteOps,
): Promise<void> {
  await ops.mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${randomUUID()}.tmp`;
  try {
    await ops.writeFile(temp, data, { mode: 0o600, flush: true });
    await ops.rename(temp, file);
  } catch (err) {
    await ops.rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
}
