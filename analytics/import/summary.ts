import { basename } from 'node:path';
import type { FileImportSummary } from '../../contracts/imports.ts';

/** Issues kept per file; the count says how many there were in all. */
const MAX_ISSUES = 200;

export type { FileImportSummary, ImportIssue, ImportProgress } from '../../contracts/imports.ts';

export interface EarlierImport {
  path: string;
  imported_at: number;
}

export function emptySummary(path: string, from?: FileImportSummary): FileImportSummary {
  return {
    path,
    format: from?.format ?? null,
    formatLabel: from?.formatLabel ?? null,
    status: 'imported',
    rowsRead: 0,
    rowsImported: 0,
    rowsDuplicate: 0,
    rowsSkipped: 0,
    issues: [],
    issueCount: 0,
    message: null,
    elapsedMs: 0,
  };
}

export function recordSkip(summary: FileImportSummary, line: number, message: string): void {
  summary.rowsSkipped++;
  summary.issueCount++;
  if (summary.issues.length < MAX_ISSUES) summary.issues.push({ line, message });
}

export function repeatOf(summary: FileImportSummary, earlier: EarlierImport): FileImportSummary {
  const when = new Date(earlier.imported_at).toISOString();
  return {
    ...emptySummary(summary.path, summary),
    status: 'already-imported',
    message: `same content as ${basename(earlier.path)}, imported ${when}; nothing changed`,
  };
}

export function failureOf(summary: FileImportSummary, err: unknown): FileImportSummary {
  return {
    ...emptySummary(summary.path, summary),
    status: 'failed',
    message: err instanceof Error ? err.message : String(err),
  };
}
