import { SingleBar } from 'cli-progress';
import { basename } from 'node:path';
import type { FileImportSummary, ImportProgress } from '../analytics/import/importer.ts';
import { importInWorker } from '../analytics/import/run-in-worker.ts';
import { formatCount } from './format.ts';
import { storeFile } from './paths.ts';

/** Issues printed per file; the store keeps the first 200 and the count says how many in all. */
const ISSUES_SHOWN = 10;

export interface ImportCommandOptions {
  dataDir: string;
  /** Draws a progress bar on stderr (only useful on a terminal). */
  progress: boolean;
  print?: (line: string) => void;
}

/** `apex import`: imports each file and prints what happened to it; resolves false if a file failed. */
export async function runImportCommand(paths: string[], options: ImportCommandOptions): Promise<boolean> {
  const print = options.print ?? ((line: string) => console.log(line));
  const bar = options.progress ? progressBar() : null;
  const summaries = await importInWorker(
    { dbFile: storeFile(options.dataDir, false), paths },
    {
      onProgress: (p) => bar?.show(p),
      onFile: (summary) => {
        bar?.done();
        for (const line of describeImport(summary)) print(line);
      },
    },
  );
  print(totalsLine(summaries));
  return summaries.every((s) => s.status !== 'failed');
}

export function describeImport(s: FileImportSummary): string[] {
  const name = basename(s.path);
  if (s.status === 'failed') return [`✗ ${name}: ${s.message ?? 'failed'}`];
  if (s.status === 'already-imported') return [`= ${name}: ${s.message ?? 'already imported'}`];
  const counts = [
    `${formatCount(s.rowsRead)} rows read`,
    `${formatCount(s.rowsImported)} new`,
    `${formatCount(s.rowsDuplicate)} already stored`,
    `${formatCount(s.rowsSkipped)} skipped`,
  ].join(', ');
  const lines = [`✓ ${name} (${s.formatLabel ?? s.format}): ${counts} in ${s.elapsedMs} ms`];
  for (const issue of s.issues.slice(0, ISSUES_SHOWN))
    lines.push(`    ${name}:${issue.line}: ${issue.message}`);
  if (s.issueCount > ISSUES_SHOWN)
    lines.push(`    ... and ${formatCount(s.issueCount - ISSUES_SHOWN)} more skipped rows`);
  return lines;
}

function totalsLine(summaries: FileImportSummary[]): string {
  const sum = (pick: (s: FileImportSummary) => number): string =>
    formatCount(summaries.reduce((t, s) => t + pick(s), 0));
  const failed = summaries.filter((s) => s.status === 'failed').length;
  return (
    `${summaries.length} files: ${sum((s) => s.rowsImported)} rows imported, ${sum((s) => s.rowsSkipped)} skipped` +
    (failed > 0 ? `, ${failed} failed` : '') +
    '. Run `apex report` for the waste report.'
  );
}

interface ProgressView {
  show(progress: ImportProgress): void;
  done(): void;
}

function progressBar(): ProgressView {
  let bar: SingleBar | null = null;
  let current = '';
  return {
    show(p) {
      if (p.path !== current) {
        bar?.stop();
        current = p.path;
        bar = new SingleBar({
          format: `${basename(p.path).slice(0, 32).padEnd(32)} {bar} {percentage}% | {rows} rows`,
          stream: process.stderr,
          hideCursor: true,
          clearOnComplete: true,
        });
        bar.start(Math.max(1, p.bytesTotal), 0, { rows: '0' });
      }
      bar?.update(Math.min(p.bytesRead, p.bytesTotal), { rows: formatCount(p.rowsRead) });
    },
    done() {
      bar?.stop();
      bar = null;
      current = '';
    },
  };
}
