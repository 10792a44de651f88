import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../analytics/import/importer.ts';
import { openStore } from '../../../analytics/store/db.ts';
import { loadPriceBook } from '../../../pricing/catalog.ts';
import { freshDir, killWhenMidway } from '../helpers.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/import-then-hang.ts', import.meta.url));
const GENERATOR = fileURLToPath(new URL('../../../scripts/generate-samples.ts', import.meta.url));
const SAMPLE = fileURLToPath(new URL('../../../resources/samples/aws-cur2.csv', import.meta.url));

describe('a crash in the middle of an import', () => {
  it('leaves the store exactly as it was before that import', async () => {
    const dir = freshDir();
    const dbFile = join(dir, 'apex.db');
    const big = join(dir, 'big-cur.csv');
    const generated = spawnSync(process.execPath, [
      GENERATOR,
      '--format',
      'cur',
      '--rows',
      '20000',
      '--out',
      big,
    ]);
    expect(generated.status, generated.stderr.toString()).toBe(0);

    const db = openStore(dbFile);
    await importFile(SAMPLE, { db, prices: await loadPriceBook() });
    const before = db.prepare('SELECT count(*) AS n, sum(billed_nanos) AS cost FROM cost_rows').get();
    const beforeDaily = db.prepare('SELECT count(*) AS n, sum(billed_nanos) AS cost FROM cost_daily').get();
    db.close();

    expect(await killWhenMidway(FIXTURE, [dbFile, big, '10000'])).toBe('SIGKILL');

    const after = openStore(dbFile);
    try {
      expect(after.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(after.prepare('SELECT count(*) AS n, sum(billed_nanos) AS cost FROM cost_rows').get()).toEqual(
        before,
      );
      expect(after.prepare('SELECT count(*) AS n, sum(billed_nanos) AS cost FROM cost_daily').get()).toEqual(
        beforeDaily,
      );
      expect(after.prepare('SELECT count(*) AS n FROM import_files').pluck().get()).toBe(1);
      // The interrupted file imports cleanly afterwards.
      const retry = await importFile(big, { db: after, prices: await loadPriceBook() });
      expect(retry.status).toBe('imported');
      expect(retry.rowsImported + retry.rowsDuplicate).toBe(20_000);
    } finally {
      after.close();
    }
  });
});
