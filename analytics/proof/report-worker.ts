// Thread entry for the savings report: building it reads every event in the window (seconds at a
// million requests), and `apex serve` runs the proxy on the main thread, which must never stall.
import { existsSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store/db.ts';
import { buildSavingsReport } from './savings-report.ts';

export interface ReportJob {
  dbFile: string;
  fromMs: number;
  toMs: number;
}

const port = parentPort;
if (!port) throw new Error('report-worker must run in a worker thread');
const job = workerData as ReportJob;

try {
  // Before the first request the writer has not created its file: report as an empty store would.
  const db = existsSync(job.dbFile) ? openStore(job.dbFile, { readonly: true }) : openStore(':memory:');
  try {
    port.postMessage({ ok: true, report: buildSavingsReport(db, { fromMs: job.fromMs, toMs: job.toMs }) });
  } finally {
    db.close();
  }
} catch (err) {
  port.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) });
}
