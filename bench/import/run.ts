// Import and analysis benchmark: 1M usage rows (half OpenAI Usage API JSON, half AWS CUR 2.0 CSV),
// imported into a fresh store and analysed, each timed on its own.
//
//   npm run bench:import            (or: node bench/import/run.ts [--rows N] [--keep])
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { importFiles } from '../../analytics/import/importer.ts';
import { importInWorker } from '../../analytics/import/run-in-worker.ts';
import { openStore } from '../../analytics/store/db.ts';
import { buildWasteReport } from '../../analytics/waste/report.ts';
import { loadPriceBook } from '../../pricing/catalog.ts';
import { parseOnly } from './baseline.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    'no-compare': { type: 'boolean', default: false },
  },
});
const rows = Number(values.rows);
const dir = join(tmpdir(), 'apex-bench-import');
mkdirSync(dir, { recursive: true });

function generate(format: string, count: number, file: string): string {
  const path = join(dir, file);
  if (!existsSync(path)) {
    const done = spawnSync(
      process.execPath,
      ['scripts/generate-samples.ts', '--format', format, '--rows', String(count), '--out', path],
      { stdio: 'inherit' },
    );
    if (done.status !== 0) throw new Error(`generating ${file} failed`);
  }
  return path;
}

const half = Math.floor(rows / 2);
const files = [
  generate('openai-usage', half, `openai-usage-${half}.json`),
  generate('cur', rows - half, `cur-${rows - half}.csv`),
];
function freshStore(name: string): string {
  const file = join(dir, name);
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  return file;
}
const dbFile = freshStore('bench.db');

const mb = (path: string): string => `${(statSync(path).size / 1e6).toFixed(0)} MB`;
console.log(`files: ${files.map((f) => `${f} (${mb(f)})`).join(', ')}`);

const floor = await parseOnly(files);
console.log(
  `parse only (papaparse / JSON.parse, nothing stored): ${floor.records.toLocaleString('en-US')} records in ${(floor.ms / 1000).toFixed(2)} s`,
);

const importStart = performance.now();
const summaries = await importInWorker({ dbFile, paths: files });
const importMs = performance.now() - importStart;
const imported = summaries.reduce((s, f) => s + f.rowsImported, 0);
for (const s of summaries)
  console.log(
    `  ${s.format}: ${s.rowsImported.toLocaleString('en-US')} rows in ${s.elapsedMs} ms (${Math.round(s.rowsImported / (s.elapsedMs / 1000)).toLocaleString('en-US')} rows/s)`,
  );

const db = openStore(dbFile);
const prices = await loadPriceBook();
const analysisStart = performance.now();
const report = buildWasteReport(db, { prices });
const analysisMs = performance.now() - analysisStart;
db.close();

const total = importMs + analysisMs;
console.log(
  `import   ${imported.toLocaleString('en-US')} rows in ${(importMs / 1000).toFixed(2)} s = ${Math.round(imported / (importMs / 1000)).toLocaleString('en-US')} rows/s`,
);
console.log(`analysis ${report.findings.length} findings in ${(analysisMs / 1000).toFixed(3)} s`);
console.log(
  `total    ${(total / 1000).toFixed(2)} s for ${imported.toLocaleString('en-US')} rows (bar: < 5 s)`,
);
console.log(`import takes ${(importMs / floor.ms).toFixed(1)}x the time of parsing alone`);

// The previous version, side by side: everything on one thread (importFile), as before the parse thread.
if (!values['no-compare']) {
  const oneThread = openStore(freshStore('bench-one-thread.db'));
  const started = performance.now();
  await importFiles(files, { db: oneThread, prices });
  const oneThreadMs = performance.now() - started;
  oneThread.close();
  console.log(
    `one thread (previous version): ${(oneThreadMs / 1000).toFixed(2)} s; two threads are ${(oneThreadMs / importMs).toFixed(2)}x as fast`,
  );
}
