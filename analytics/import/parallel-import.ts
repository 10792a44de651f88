import { Worker } from 'node:worker_threads';
import { FileImport, findImport } from './file-import.ts';
import type { ImportOptions } from './importer.ts';
import type { ParseMessage } from './parse-protocol.ts';
import { unpackRecords } from './row-codec.ts';
import { emptySummary, failureOf, repeatOf, type FileImportSummary } from './summary.ts';
import { workerScript } from '../../common/resources.ts';

const PARSE_WORKER_URL = workerScript(import.meta.url, './parse-worker.ts', './import-parse-worker.js');
// A JSON export is parsed whole; a 1 GB file needs a few GB of heap while it is being read.
const PARSE_HEAP_MB = 8_192;

/**
 * Imports one file like importFile(), with reading and mapping on a second thread while this one
 * writes: the same single transaction, outcomes and summary, in less time on two cores.
 */
export function importFileParallel(path: string, options: ImportOptions): Promise<FileImportSummary> {
  return new Promise((resolve) => new ParallelImport(path, options, resolve));
}

class ParallelImport {
  private readonly started = performance.now();
  private readonly summary: FileImportSummary;
  private readonly inFlight = new Int32Array(new SharedArrayBuffer(4));
  private readonly worker: Worker;
  private transaction: FileImport | null = null;
  private size = 0;
  private settled = false;
  private readonly path: string;
  private readonly options: ImportOptions;
  private readonly resolve: (summary: FileImportSummary) => void;

  constructor(path: string, options: ImportOptions, resolve: (summary: FileImportSummary) => void) {
    this.path = path;
    this.options = options;
    this.resolve = resolve;
    this.summary = emptySummary(path);
    this.worker = new Worker(PARSE_WORKER_URL, {
      workerData: { path, inFlight: this.inFlight },
      resourceLimits: { maxOldGenerationSizeMb: PARSE_HEAP_MB },
    });
    this.worker.on('message', (message: ParseMessage) => this.receive(message));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new Error(`the parsing thread stopped (exit code ${code})`)));
  }

  private receive(message: ParseMessage): void {
    if (this.settled) return;
    try {
      if (message.type === 'opened') this.begin(message);
      else if (message.type === 'batch') this.store(message.records, message.bytesRead);
      else if (message.type === 'done') this.finish(message.digest);
      else this.fail(new Error(message.message));
    } catch (err) {
      this.fail(err);
    }
  }

  private begin(message: Extract<ParseMessage, { type: 'opened' }>): void {
    this.summary.format = message.format;
    this.summary.formatLabel = message.formatLabel;
    this.size = message.size;
    const earlier = message.digest ? findImport(this.options.db, message.digest) : null;
    if (earlier) this.settle(repeatOf(this.summary, earlier));
    else this.transaction = new FileImport(this.options.db, this.summary, message.digest);
  }

  private store(records: string, bytesRead: number): void {
    for (const record of unpackRecords(records)) this.transaction?.store(record);
    Atomics.sub(this.inFlight, 0, 1);
    Atomics.notify(this.inFlight, 0);
    const { rowsRead } = this.summary;
    this.options.onProgress?.({ path: this.path, bytesRead, bytesTotal: this.size, rowsRead });
    this.options.afterBatch?.(rowsRead);
  }

  private finish(digest: string): void {
    const earlier = this.transaction?.finish(digest) ?? null;
    this.settle(earlier ? repeatOf(this.summary, earlier) : this.summary);
  }

  private fail(err: unknown): void {
    this.transaction?.abort();
    this.settle(failureOf(this.summary, err));
  }

  private settle(result: FileImportSummary): void {
    if (this.settled) return;
    this.settled = true;
    void this.worker.terminate();
    this.resolve({ ...result, elapsedMs: Math.round(performance.now() - this.started) });
  }
}
