import type { FileImportSummary, ImportProgress } from './importer.ts';

export interface ImportJob {
  dbFile: string;
  paths: string[];
}

export type ImportWorkerMessage =
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'file'; summary: FileImportSummary }
  | { type: 'done' }
  | { type: 'error'; message: string };
