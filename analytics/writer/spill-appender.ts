import { appendFileSync, createWriteStream, renameSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { UsageEvent } from '../../contracts/usage.ts';
import { activeSpillPath, newSealedPath } from './spill-files.ts';
import { toSpillLines } from './spill-reader.ts';

export interface SealedSpillInfo {
  file: string;
  /** Smallest batch sequence number in the file. */
  minSeq: number;
  events: number;
}

/**
 * Main-thread side of the spill: batches the database cannot take right now
 * are appended to `active.jsonl` through an async stream, so record() never
 * waits on the disk. Sealing renames the file out of the way first, then
 * closes the stream, so nothing can ever append to a file being replayed.
 */
export class SpillAppender {
  readonly #activePath: string;
  readonly #spillDir: string;
  readonly #onError: (err: Error) => void;
  #stream: WriteStream | null = null;
  /** Batches (seq -> event count) in the active file; a failed write removes its batch. */
  #batches = new Map<number, number>();
  /** Bumped at every seal so a seal that waited can tell another one got there first. */
  #generation = 0;

  constructor(spillDir: string, onError: (err: Error) => void) {
    this.#spillDir = spillDir;
    this.#activePath = activeSpillPath(spillDir);
    this.#onError = onError;
  }

  /** Smallest batch sequence number not yet sealed; Infinity when the active file holds none. */
  get minSeq(): number {
    let min = Number.POSITIVE_INFINITY;
    for (const seq of this.#batches.keys()) min = Math.min(min, seq);
    return min;
  }

  get hasData(): boolean {
    return this.#batches.size > 0;
  }

  /** `onFailure` gets the batch back when the disk refuses it; it is then no longer counted here. */
  append(seq: number, events: UsageEvent[], onFailure: (err: Error) => void): void {
    const fresh = this.#stream === null;
    const stream = this.#stream ?? this.#open();
    const batches = this.#batches;
    batches.set(seq, (batches.get(seq) ?? 0) + events.length);
    // A new stream may follow one that died mid-line; the newline keeps that torn
    // fragment on its own line (skipped at replay) instead of fused to our first event.
    const text = (fresh ? '\n' : '') + toSpillLines(events);
    stream.write(text, (err) => {
      if (!err) return;
      batches.delete(seq);
      onFailure(err);
    });
  }

  /**
   * Moves the active file aside for replay. `onRenamed` runs synchronously at
   * the rename, so bookkeeping never sees the events in neither place; the
   * returned promise settles once the stream is closed and the file complete.
   */
  async seal(onRenamed: (info: SealedSpillInfo) => void): Promise<SealedSpillInfo | null> {
    const generation = this.#generation;
    // A stream still opening would create active.jsonl after the rename.
    while (this.#stream?.pending) await once(this.#stream, 'ready').catch(() => undefined);
    if (this.#generation !== generation || !this.hasData) return null;
    const stream = this.#stream;
    const info: SealedSpillInfo = { file: newSealedPath(this.#spillDir), minSeq: this.minSeq, events: 0 };
    for (const count of this.#batches.values()) info.events += count;
    if (!this.#renameActive(info.file)) return null;
    this.#generation += 1;
    this.#stream = null;
    this.#batches = new Map();
    onRenamed(info);
    if (stream) await closeStream(stream);
    return info;
  }

  /** Shutdown path: close the stream and leave the file for the next start to seal and replay. */
  async closeUnsealed(): Promise<void> {
    const stream = this.#stream;
    this.#stream = null;
    if (stream) await closeStream(stream);
  }

  /** Last resort at shutdown, when the worker could not finish in time; synchronous on purpose. */
  persistNow(events: readonly UsageEvent[]): void {
    if (events.length > 0) appendFileSync(this.#activePath, '\n' + toSpillLines(events));
  }

  #open(): WriteStream {
    // flush: fsync on close, so a sealed file survives an OS crash, not just a process crash.
    const stream = createWriteStream(this.#activePath, { flags: 'a', flush: true });
    stream.on('error', (err) => {
      this.#onError(new Error(`usage spill file ${this.#activePath}: ${err.message}`));
      if (this.#stream === stream) this.#stream = null;
    });
    this.#stream = stream;
    return stream;
  }

  #renameActive(target: string): boolean {
    try {
      renameSync(this.#activePath, target);
      return true;
    } catch (err) {
      this.#onError(err as Error);
      // Someone removed the file under us: its events are gone; stop waiting for them.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') this.#forgetLostFile();
      return false;
    }
  }

  #forgetLostFile(): void {
    this.#stream?.destroy();
    this.#stream = null;
    this.#batches = new Map();
  }
}

async function closeStream(stream: WriteStream): Promise<void> {
  if (stream.closed || stream.destroyed) return;
  const closed = once(stream, 'close').catch(() => undefined);
  stream.end();
  await closed;
}
