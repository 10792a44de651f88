// Thread entry: reads and maps one file and posts its rows in batches to the thread that writes them,
// so parsing and SQLite inserts run on two cores at once.
import { parentPort, workerData } from 'node:worker_threads';
import { loadPriceBook } from '../../pricing/catalog.ts';
import { mapRecord } from './map-records.ts';
import { openImportFile } from './open-file.ts';
import { MAX_BATCHES_IN_FLIGHT, type ParseJob, type ParseMessage } from './parse-protocol.ts';
import { packRecords } from './row-codec.ts';

const port = parentPort;
if (!port) throw new Error('parse-worker must run in a worker thread');
const post = (message: ParseMessage): void => port.postMessage(message);
const { path, inFlight } = workerData as ParseJob;

// Blocking is fine here: this thread has nothing else to do while the writer catches up.
function waitForRoom(): void {
  for (let n = Atomics.load(inFlight, 0); n >= MAX_BATCHES_IN_FLIGHT; n = Atomics.load(inFlight, 0)) {
    Atomics.wait(inFlight, 0, n, 1_000);
  }
}

try {
  const context = { prices: await loadPriceBook() };
  const opened = await openImportFile(path);
  post({
    type: 'opened',
    format: opened.format.id,
    formatLabel: opened.format.label,
    digest: opened.digest,
    size: opened.head.size,
  });
  let bytesRead = 0;
  const digest = await opened.read(
    (batch) => {
      waitForRoom();
      Atomics.add(inFlight, 0, 1);
      post({
        type: 'batch',
        records: packRecords(batch.map((r) => mapRecord(r, opened.format, context))),
        bytesRead,
      });
    },
    (n) => (bytesRead = n),
  );
  post({ type: 'done', digest });
} catch (err) {
  post({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
}
