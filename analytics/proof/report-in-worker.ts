import { Worker } from 'node:worker_threads';
import { workerScript } from '../../common/resources.ts';
import type { SavingsReport } from '../../contracts/savings.ts';
import type { ReportJob } from './report-worker.ts';

const WORKER_URL = workerScript(import.meta.url, './report-worker.ts', './savings-report-worker.js');

type ReportMessage = { ok: true; report: SavingsReport } | { ok: false; message: string };

/** Builds the savings report over [fromMs, toMs) of the store at dbFile on a worker thread. */
export function savingsReportInWorker(job: ReportJob): Promise<SavingsReport> {
  const worker = new Worker(WORKER_URL, { workerData: job });
  return new Promise((resolve, reject) => {
    worker.once('message', (message: ReportMessage) => {
      if (message.ok) resolve(message.report);
      else reject(new Error(`savings report failed: ${message.message}`));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`savings report worker stopped with exit code ${code}`));
    });
  });
}
