// Thread entry for `apex import`: imports run here so a large JSON export can use a bigger heap than
// the long-running server process allows itself, and the caller's thread stays free to draw progress.
import { parentPort, workerData } from 'node:worker_threads';
import { loadPriceBook } from '../../pricing/catalog.ts';
import { openStore } from '../store/db.ts';
import { importFileParallel } from './parallel-import.ts';
import type { ImportJob, ImportWorkerMessage } from './worker-protocol.ts';

const port = parentPort;
if (!port) throw new Error('import-worker must run in a worker thread');
const post = (message: ImportWorkerMessage): void => port.postMessage(message);
const job = workerData as ImportJob;

try {
  const db = openStore(job.dbFile);
  const prices = await loadPriceBook();
  try {
    for (const path of job.paths) {
      post({
        type: 'file',
        summary: await importFileParallel(path, {
          db,
          prices,
          onProgress: (p) => post({ type: 'progress', progress: p }),
        }),
      });
    }
  } finally {
    db.close();
  }
  post({ type: 'done' });
} catch (err) {
  post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
}
