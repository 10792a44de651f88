import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../analytics/store/db.ts';
import { freshDir, killWhenMidway } from './helpers.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/insert-then-hang.ts', import.meta.url));

describe('crash of a whole process mid-transaction', () => {
  it('leaves an intact database holding none of the interrupted batch', async () => {
    const dbFile = join(freshDir(), 'analytics.db');
    const bigCount = 100_000;
    expect(await killWhenMidway(FIXTURE, [dbFile, String(bigCount)])).toBe('SIGKILL');
    // Half the batch spilled out of the page cache into the WAL before the kill.
    expect(existsSync(`${dbFile}-wal`) && statSync(`${dbFile}-wal`).size).toBeGreaterThan(1_000_000);

    const db = openStore(dbFile);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const count = (prefix: string): number =>
        (
          db.prepare('SELECT COUNT(*) AS n FROM usage_events WHERE id LIKE ?').get(`${prefix}-%`) as {
            n: number;
          }
        ).n;
      expect(count('pre')).toBe(1_000);
      expect([0, bigCount]).toContain(count('big'));
      expect(count('big')).toBe(0);
    } finally {
      db.close();
    }
  });
});
