import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../analytics/store/db.ts';
import { MIGRATIONS } from '../../analytics/store/migrations.ts';
import { getUsageEvent, prepareUsageInsert } from '../../analytics/store/usage-events.ts';
import { makeEvent } from './fixtures/events.ts';
import { freshDir } from './helpers.ts';

describe('migration 4: counterfactual accounting', () => {
  it('gives events stored before it a baseline equal to their cost, in rows and in the rollup', () => {
    const file = join(freshDir(), 'apex.db');
    const old = openStore(file, { migrations: MIGRATIONS.slice(0, 3) });
    const insert = old.prepare(
      `INSERT INTO usage_events (id, ts, api, endpoint, provider, model_requested, streamed, input_tokens,
         output_tokens, cached_input_tokens, cache_write_tokens, cache_write_1h_tokens, reasoning_tokens,
         cost_nanos, latency_us, status)
       VALUES (?, ?, 'openai', 'chat', 'openai', 'gpt-4o', 0, 10, 5, 0, 0, 0, 0, ?, 100, 200)`,
    );
    insert.run('old-1', Date.UTC(2026, 0, 1), 1_234);
    insert.run('old-2', Date.UTC(2026, 0, 1), 766);
    old.close();

    const db = openStore(file);
    expect(getUsageEvent(db, 'old-1')).toMatchObject({
      costNanos: 1_234,
      baselineCostNanos: 1_234,
      savings: {},
    });
    const daily = db.prepare('SELECT cost_nanos, baseline_cost_nanos FROM usage_daily').get();
    expect(daily).toEqual({ cost_nanos: 2_000, baseline_cost_nanos: 2_000 });
    db.close();
  });

  it('rolls new events up with their baseline, and defaults a missing baseline to the cost', () => {
    const db = openStore(':memory:');
    const optimized = makeEvent(1, 'new', {
      costNanos: 300,
      baselineCostNanos: 1_000,
      savings: { routing: 700 },
    });
    const legacy = {
      ...makeEvent(2, 'new', { costNanos: 50 }),
      baselineCostNanos: undefined,
      savings: undefined,
    };
    prepareUsageInsert(db).insertBatch([optimized, legacy]);
    const sums = db.prepare(
      'SELECT sum(cost_nanos) AS cost, sum(baseline_cost_nanos) AS baseline FROM usage_daily',
    );
    expect(sums.get()).toEqual({ cost: 350, baseline: 1_050 });
    expect(getUsageEvent(db, 'new-1')?.savings).toEqual({ routing: 700 });
    db.close();
  });
});
