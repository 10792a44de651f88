/** One imported file's outcome, as `apex import` prints it and `POST /api/imports` returns it. */

export interface ImportIssue {
  line: number;
  message: string;
}

export interface FileImportSummary {
  path: string;
  format: string | null;
  formatLabel: string | null;
  status: 'imported' | 'already-imported' | 'failed';
  /** Records read from the file, good and bad. */
  rowsRead: number;
  rowsImported: number;
  /** Rows already in the store from another file (the same charge in a CUR and a FOCUS export). */
  rowsDuplicate: number;
  rowsSkipped: number;
  issues: ImportIssue[];
  issueCount: number;
  /** Why the whole file failed, or which earlier import it repeats. */
  message: string | null;
  elapsedMs: number;
}

export interface ImportProgress {
  path: string;
  bytesRead: number;
  bytesTotal: number;
  rowsRead: number;
}
