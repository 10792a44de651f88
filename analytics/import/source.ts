import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import { constants, createGunzip, gunzipSync } from 'node:zlib';
import { FileFormatError, type Container } from './types.ts';

const HEAD_BYTES = 256 * 1024;
const GZIP_MAGIC = [0x1f, 0x8b];
const PARQUET_MAGIC = 'PAR1';

/** The start of a file, decompressed, and what kind of container it is. */
export interface FileHead {
  path: string;
  size: number;
  gzip: boolean;
  container: Container;
  /** First bytes after decompression (up to 256 KiB), for format detection. */
  head: Buffer;
}

export async function readHead(path: string): Promise<FileHead> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const raw = Buffer.alloc(Math.min(size, HEAD_BYTES));
    await handle.read(raw, 0, raw.length, 0);
    const gzip = raw[0] === GZIP_MAGIC[0] && raw[1] === GZIP_MAGIC[1];
    // A partial gzip stream inflates as far as it goes with SYNC_FLUSH instead of throwing.
    const head = gzip ? gunzipSync(raw, { finishFlush: constants.Z_SYNC_FLUSH }) : raw;
    return { path, size, gzip, container: sniffContainer(head), head };
  } finally {
    await handle.close();
  }
}

function sniffContainer(head: Buffer): Container {
  if (head.subarray(0, 4).toString('latin1') === PARQUET_MAGIC) return 'parquet';
  const text = stripBom(head.toString('utf8'));
  const first = text.trimStart()[0];
  if (first === '[') return 'json';
  if (first !== '{') {
    if (head.includes(0)) throw new FileFormatError('binary file that is neither gzip nor Parquet');
    return 'csv';
  }
  const firstLine = text.trimStart().split('\n', 1)[0] ?? '';
  try {
    JSON.parse(firstLine);
  } catch {
    return 'json'; // a pretty-printed document: its first line is not a whole object
  }
  return 'jsonl';
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A streamed file's content and the SHA-256 of its bytes as stored, known once the stream ends. */
export interface ContentStream {
  stream: Readable;
  digest(): string;
  bytesRead(): number;
}

export function openContent(file: FileHead, onBytes?: (bytesRead: number) => void): ContentStream {
  const hash = createHash('sha256');
  let bytes = 0;
  const raw = createReadStream(file.path, { highWaterMark: 1 << 20 });
  const tap = new PassThrough({ highWaterMark: 1 << 20 });
  raw.on('data', (chunk: string | Buffer) => {
    hash.update(chunk);
    bytes += chunk.length;
    onBytes?.(bytes);
  });
  raw.on('error', (err) => tap.destroy(err));
  const stream = file.gzip ? raw.pipe(createGunzip()) : raw;
  if (file.gzip) stream.on('error', (err: Error) => tap.destroy(err));
  stream.pipe(tap);
  let digest: string | null = null;
  return {
    stream: tap,
    digest: () => (digest ??= hash.digest('hex')),
    bytesRead: () => bytes,
  };
}

/** Whole-file containers (JSON documents, Parquet): the decompressed bytes and the stored bytes' hash. */
export async function readWhole(file: FileHead): Promise<{ content: Buffer; digest: string }> {
  const raw = await readFile(file.path);
  const digest = createHash('sha256').update(raw).digest('hex');
  return { content: file.gzip ? gunzipSync(raw) : raw, digest };
}
