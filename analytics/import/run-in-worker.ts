import { Worker } from 'node:worker_threads';
import type { FileImportSummary, ImportProgress } from './importer.ts';
import type { ImportJob, ImportWorkerMessage } from './worker-protocol.ts';
import { workerScript } from '../../common/resources.ts';

// A JSON export is parsed whole; a 1 GB file needs a few GB of heap while it is being read.
const IMPORT_HEAP_MB = 8_192;

const WORKER_URL = workerScript(import.meta.url, './import-worker.ts', './import-worker.js');

export interface ImportCallbacks {
  onProgress?(progress: ImportProgress): void;
  onFile?(summary: FileImportSummary): void;
}

/** Imports files into the store at dbFile on a worker thread; resolves with one summary per file. */
export function importInWorker(
  job: ImportJob,
  callbacks: ImportCallbacks = {},
): Promise<FileImportSummary[]> {
  const summaries: FileImportSummary[] = [];
  const worker = new Worker(WORKER_URL, {
    workerData: job,
    resourceLimits: { maxOldGenerationSizeMb: IMPORT_HEAP_MB },
  });
  return new Promise((resolve, reject) => {
    worker.on('message', (message: ImportWorkerMessage) => {
      if (message.type === 'progress') callbacks.onProgress?.(message.progress);
      else if (message.type === 'file') {
        summaries.push(message.summary);
        callbacks.onFile?.(message.summary);
      } else if (message.type === 'done') resolve(summaries);
      else reject(new Error(message.message));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0) reject(new Error(`import worker stopped with exit code ${code}`));
      else resolve(summaries);
    });
  });
}
