import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { WasteReport } from '../../contracts/waste-report.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const APEX = join(ROOT, 'server', 'main.ts');
const SAMPLES = join(ROOT, 'resources', 'samples');
const dataDir = mkdtempSync(join(tmpdir(), 'apex-cli-import-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function apex(...args: string[]) {
  return spawnSync(process.execPath, [APEX, ...args, '--data-dir', dataDir], {
    encoding: 'utf8',
    timeout: 60_000,
  });
}

const everySample = readdirSync(SAMPLES)
  .filter((name) => name !== 'README.md')
  .map((name) => join(SAMPLES, name));

describe('apex import and apex report', () => {
  it('imports every sample, reporting each file and the bad rows with their lines', () => {
    const run = apex('import', ...everySample);
    expect(run.status, run.stderr).toBe(0);
    // Files sort alphabetically, so the copy with one bad row comes first and the clean file adds nothing.
    expect(run.stdout).toMatch(
      /✓ aws-cur2-with-errors\.csv \(AWS Cost and Usage Report 2\.0\): 99 rows read, 98 new, 0 already stored, 1 skipped/,
    );
    expect(run.stdout).toMatch(/✓ focus-1\.0-aws\.csv \(.*\): 98 rows read, 0 new, 98 already stored/);
    expect(run.stdout).toMatch(/aws-cur2-with-errors\.csv:42: has 12 fields, the header has 27/);
    expect(run.stdout).toMatch(
      /openai-usage-completions-with-errors\.json:\d+: input_tokens is not a whole number: "12O00"/,
    );
    expect(run.stdout).toMatch(/files: [\d,]+ rows imported, 2 skipped\. Run `apex report`/);
  });

  it('changes nothing when the same files are imported again', () => {
    const run = apex('import', join(SAMPLES, 'aws-cur2.csv'), join(SAMPLES, 'openai-costs.json'));
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/= aws-cur2\.csv: same content as aws-cur2\.csv/);
    expect(run.stdout).toMatch(/0 rows imported/);
  });

  it('fails with a clear message for a file that is not an export, after importing the rest', () => {
    const junk = join(dataDir, 'notes.txt');
    writeFileSync(junk, 'hello,world\n1,2\n');
    const run = apex('import', junk);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/✗ notes\.txt: not a recognized export \(csv with columns hello, world\)/);
  });

  it('reports totals that count each charge once, bills before usage estimates', () => {
    const out = join(dataDir, 'report.json');
    const run = apex('report', '--format', 'json', '--out', out);
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as WasteReport;
    const spend = Object.fromEntries(report.totals.byProvider.map((line) => [line.key, line.spendNanos]));
    // The README's totals: each file family once, however many copies and formats were imported.
    expect(spend).toMatchObject({
      aws: 22_827_784_000_000,
      openai: 643_761_100_000,
      anthropic: 1_377_900_000_000,
      gcp: 2_564_257_360_000,
      azure: 3_760_731_200_000,
    });
    const kinds = new Set(report.findings.map((f) => f.kind));
    for (const kind of [
      'model-routing',
      'prompt-caching',
      'batch-api',
      'idle-gpu',
      'spot-gpu',
      'spend-spike',
      'duplicate-prompts',
    ]) {
      expect(kinds, kind).toContain(kind);
    }
  });

  it('prints the text report and writes HTML and CSV', () => {
    const text = apex('report');
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/idle/i);
    for (const format of ['html', 'csv']) {
      const out = join(dataDir, `report.${format}`);
      const run = apex('report', '--format', format, '--out', out);
      expect(run.stdout).toMatch(new RegExp(`wrote the ${format} report to`));
      expect(readFileSync(out, 'utf8').length).toBeGreaterThan(500);
    }
  });
});
