import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { importFile, importFiles } from '../../../analytics/import/importer.ts';
import { openStore } from '../../../analytics/store/db.ts';
import { loadPriceBook } from '../../../pricing/catalog.ts';
import { freshDir } from '../helpers.ts';

const sample = (name: string): string =>
  fileURLToPath(new URL(`../../../resources/samples/${name}`, import.meta.url));

async function store() {
  return { db: openStore(':memory:'), prices: await loadPriceBook() };
}

describe('importing files', () => {
  it('detects the format from content, not the file name', async () => {
    const misnamed = join(freshDir(), 'openai-costs.json');
    copyFileSync(sample('aws-cur2.csv'), misnamed);
    const summary = await importFile(misnamed, await store());
    expect(summary).toMatchObject({ status: 'imported', format: 'aws-cur2', rowsImported: 98 });
  });

  it('treats the same content under another name as already imported, changing nothing', async () => {
    const options = await store();
    await importFile(sample('aws-cur2.csv'), options);
    const copy = join(freshDir(), 'copy.csv');
    copyFileSync(sample('aws-cur2.csv'), copy);
    const again = await importFile(copy, options);
    expect(again.status).toBe('already-imported');
    expect(again.message).toMatch(/same content as aws-cur2\.csv/);
    expect(options.db.prepare('SELECT count(*) FROM import_files').pluck().get()).toBe(1);
    expect(options.db.prepare('SELECT count(*) FROM cost_rows').pluck().get()).toBe(98);
  });

  it('keeps genuinely repeated rows of one file, and matches them one for one in another file', async () => {
    const dir = freshDir();
    const [header, first] = (await import('node:fs'))
      .readFileSync(sample('aws-cur2.csv'), 'utf8')
      .split('\n');
    const twice = join(dir, 'twice.csv');
    const thrice = join(dir, 'thrice.csv');
    writeFileSync(twice, [header, first, first, ''].join('\n'));
    writeFileSync(thrice, [header, first, first, first, ''].join('\n'));
    const options = await store();
    expect(await importFile(twice, options)).toMatchObject({ rowsImported: 2, rowsDuplicate: 0 });
    expect(await importFile(thrice, options)).toMatchObject({ rowsImported: 1, rowsDuplicate: 2 });
  });

  it('fails a file it cannot read with a message that says what is supported', async () => {
    const dir = freshDir();
    const unknown = join(dir, 'people.csv');
    writeFileSync(unknown, 'name,email\nAda,ada@example.com\n');
    const binary = join(dir, 'blob.bin');
    writeFileSync(binary, Buffer.from([0, 1, 2, 3, 0, 255]));
    const brokenJson = join(dir, 'broken.json');
    writeFileSync(brokenJson, '{"data": [');
    const results = await importFiles([unknown, binary, brokenJson, join(dir, 'missing.csv')], await store());
    expect(results.map((r) => r.status)).toEqual(['failed', 'failed', 'failed', 'failed']);
    expect(results[0]?.message).toMatch(
      /not a recognized export \(csv with columns name, email\); supported: .*AWS Cost and Usage Report 2\.0/,
    );
    expect(results[1]?.message).toMatch(/binary/);
    expect(results[2]?.message).toMatch(/not valid JSON/);
    expect(results[3]?.message).toMatch(/ENOENT/);
  });

  it('reads gzip by its magic bytes, whatever the name', async () => {
    const zipped = join(freshDir(), 'bill.csv');
    writeFileSync(zipped, gzipSync((await import('node:fs')).readFileSync(sample('aws-cur2.csv'))));
    expect(await importFile(zipped, await store())).toMatchObject({ status: 'imported', rowsImported: 98 });
  });

  it('reports progress while reading and keeps the source line of every row', async () => {
    const options = await store();
    const seen: number[] = [];
    await importFile(sample('aws-cur2-with-errors.csv'), {
      ...options,
      onProgress: (p) => seen.push(p.rowsRead),
    });
    expect(seen.at(-1)).toBe(99);
    const lines = options.db.prepare('SELECT line FROM cost_rows ORDER BY id').pluck().all() as number[];
    expect(lines.slice(0, 3)).toEqual([2, 3, 4]);
    expect(lines).not.toContain(42);
    expect(lines.at(-1)).toBe(100);
  });
});
