// Prints the one line CI reads, "N passed, N failed", from vitest's JSON report,
// and exits non-zero when anything failed or the runner itself failed.
import { existsSync, readFileSync } from 'node:fs';

const [file, statusArg] = process.argv.slice(2);
const runnerStatus = Number(statusArg ?? 0);
if (!existsSync(file)) {
  console.log(`no test report at ${file}: the run stopped before the tests (type check, lint or format?)`);
  console.log('0 passed, 1 failed');
  process.exit(runnerStatus || 1);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const passed = report.numPassedTests ?? 0;
// A file that fails to load has no failed test of its own; count it, so a broken import cannot pass silently.
const brokenFiles = (report.testResults ?? []).filter(
  (file) =>
    file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
).length;
const failed = (report.numFailedTests ?? 0) + brokenFiles;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || runnerStatus !== 0 ? 1 : 0);
