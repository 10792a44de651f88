import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../analytics/import/importer.ts';
import { openStore } from '../../analytics/store/db.ts';
import { prepareUsageInsert } from '../../analytics/store/usage-events.ts';
import { loadPriceBook } from '../../pricing/catalog.ts';
import { exportUsageLog } from '../../server/usage-export.ts';
import { makeEvent } from '../analytics/fixtures/events.ts';
import { freshDir } from '../analytics/helpers.ts';

describe('apex usage --export', () => {
  it("writes the usage store as Apex's request log, which imports back with the same money and tokens", async () => {
    const dir = freshDir();
    const proxyStore = join(dir, 'apex.db');
    const db = openStore(proxyStore);
    const events = Array.from({ length: 250 }, (_, i) => makeEvent(i));
    expect(prepareUsageInsert(db).insertBatch(events).inserted).toBe(250);
    db.close();

    const log = join(dir, 'requests.jsonl');
    expect(await exportUsageLog(proxyStore, log)).toBe(250);
    const first = JSON.parse(readFileSync(log, 'utf8').split('\n')[0] ?? '{}');
    expect(first).toMatchObject({
      object: 'apex.request',
      id: events[0]?.id,
      costNanos: events[0]?.costNanos,
    });

    const wedge = openStore(':memory:');
    const summary = await importFile(log, { db: wedge, prices: await loadPriceBook() });
    expect(summary).toMatchObject({ format: 'apex-request-log', rowsImported: 250, rowsSkipped: 0 });
    const totals = wedge
      .prepare(
        'SELECT sum(billed_nanos) AS cost, sum(input_tokens) AS input, sum(requests) AS requests FROM cost_rows',
      )
      .get();
    expect(totals).toEqual({
      cost: events.reduce((s, e) => s + e.costNanos, 0),
      input: events.reduce((s, e) => s + e.inputTokens, 0),
      requests: 250,
    });
  });

  it('refuses a data directory with no usage yet', async () => {
    await expect(exportUsageLog(join(freshDir(), 'none.db'), join(freshDir(), 'x.jsonl'))).rejects.toThrow(
      /no usage recorded yet/,
    );
  });
});
