import { createWriteStream, existsSync } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { APEX_LOG_OBJECT } from '../analytics/import/formats/apex-log.ts';
import { openStore } from '../analytics/store/db.ts';
import { iterateUsageEvents } from '../analytics/store/usage-events.ts';

/**
 * Writes the usage store as Apex's request log (JSON lines), the format `apex import` reads back: for
 * moving a laptop's history into a team's store, or into the waste report next to the bills.
 */
export async function exportUsageLog(dbFile: string, outFile: string, sinceMs?: number): Promise<number> {
  if (!existsSync(dbFile)) throw new Error(`no usage recorded yet (${dbFile} does not exist)`);
  const db = openStore(dbFile, { readonly: true });
  const out = createWriteStream(outFile);
  let written = 0;
  try {
    for (const event of iterateUsageEvents(db, sinceMs ?? 0)) {
      if (!out.write(`${JSON.stringify({ object: APEX_LOG_OBJECT, ...event })}\n`)) await once(out, 'drain');
      written++;
    }
  } finally {
    out.end();
    db.close();
  }
  await finished(out);
  return written;
}
