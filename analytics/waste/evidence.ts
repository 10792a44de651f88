import type Database from 'better-sqlite3';
import type { EvidenceFilter, EvidenceRow } from '../../contracts/waste-report.ts';
import { dayNumber, dayString } from './groups.ts';

const DAY_MS = 86_400_000;

interface StoredEvidence {
  file: string;
  line: number;
  periodStart: number;
  costNanos: number;
}

/**
 * Rows behind a finding, oldest first, with their source file and line. `fromRowId` (the rollup's
 * first row id) lets the scan start where the evidence starts instead of at the top of the table.
 */
export function evidenceRows(
  db: Database.Database,
  filter: EvidenceFilter,
  options: { limit?: number; offset?: number; fromRowId?: number } = {},
): EvidenceRow[] {
  const { where, params } = whereClause(filter, options.fromRowId ?? 0);
  const rows = db
    .prepare(
      `SELECT f.path AS file, c.line, c.period_start AS periodStart, c.billed_nanos AS costNanos
       FROM cost_rows c JOIN import_files f ON f.id = c.file_id
       WHERE ${where} ORDER BY c.id LIMIT ? OFFSET ?`,
    )
    .all(...params, options.limit ?? 20, options.offset ?? 0) as StoredEvidence[];
  return rows.map((r) => ({
    file: r.file,
    line: r.line,
    day: dayString(dayNumber(r.periodStart)),
    costNanos: r.costNanos,
  }));
}

function whereClause(filter: EvidenceFilter, fromRowId: number): { where: string; params: unknown[] } {
  const clauses = ['c.id >= ?', 'c.provider = ?'];
  const params: unknown[] = [fromRowId, filter.provider];
  const equal: Array<[string, string | undefined]> = [
    ['c.kind', filter.kind],
    ['c.model', filter.model],
    ['c.project', filter.project],
    ['c.api_key', filter.apiKey],
    ['c.resource_id', filter.resourceId],
  ];
  for (const [column, value] of equal) {
    if (value === undefined) continue;
    // '' stands for "none" (the rollup's spelling of NULL), so a finding on rows without a key
    // does not also pull in rows that have one.
    if (value === '') clauses.push(`${column} IS NULL`);
    else {
      clauses.push(`${column} = ?`);
      params.push(value);
    }
  }
  if (filter.day !== undefined) {
    const start = Date.parse(`${filter.day}T00:00:00Z`);
    clauses.push('c.period_start >= ? AND c.period_start < ?');
    params.push(start, start + DAY_MS);
  }
  if (filter.promptHashes !== undefined) {
    clauses.push(`c.prompt_hash IN (${filter.promptHashes.map(() => '?').join(', ') || 'NULL'})`);
    params.push(...filter.promptHashes);
  }
  return { where: clauses.join(' AND '), params };
}
