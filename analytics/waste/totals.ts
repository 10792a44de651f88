import type Database from 'better-sqlite3';
import type { SpendLine, SpendTotals } from '../../contracts/waste-report.ts';
import { dayString } from './groups.ts';

interface RollupLine {
  kind: 'cost' | 'usage';
  provider: string;
  serviceName: string;
  model: string;
  project: string;
  apiKey: string;
  day: number;
  costNanos: number;
  inputTokens: number;
  outputTokens: number;
  requests: number;
  countedRows: number;
  rows: number;
}

// Where a bill (cost rows) and a usage export describe the same provider and day, the bill is the
// truth and the usage estimate would count the money twice; usage fills only the days no bill covers.
const COUNTED_LINES = `
SELECT kind, provider, service_name AS serviceName, model, project, api_key AS apiKey, day,
       billed_nanos AS costNanos, input_tokens AS inputTokens, output_tokens AS outputTokens,
       requests, counted_rows AS countedRows, rows
FROM cost_daily d
WHERE d.kind = 'cost'
   OR NOT EXISTS (SELECT 1 FROM cost_daily c WHERE c.kind = 'cost' AND c.provider = d.provider AND c.day = d.day)`;

const USAGE_LINES = `
SELECT kind, provider, service_name AS serviceName, model, project, api_key AS apiKey, day,
       billed_nanos AS costNanos, input_tokens AS inputTokens, output_tokens AS outputTokens,
       requests, counted_rows AS countedRows, rows
FROM cost_daily WHERE kind = 'usage'`;

export function spendTotals(db: Database.Database): SpendTotals {
  const counted = db.prepare(COUNTED_LINES).all() as RollupLine[];
  const usage = db.prepare(USAGE_LINES).all() as RollupLine[];
  return {
    spendNanos: counted.reduce((sum, line) => sum + line.costNanos, 0),
    byProvider: breakdown(counted, (l) => l.provider),
    byService: breakdown(counted, (l) => `${l.provider} / ${l.serviceName}`),
    byModel: breakdown(
      counted.filter((l) => l.model !== ''),
      (l) => `${l.provider} / ${l.model}`,
    ),
    byProject: breakdown(
      counted.filter((l) => l.project !== ''),
      (l) => `${l.provider} / ${l.project}`,
    ),
    byKey: breakdown(
      usage.filter((l) => l.apiKey !== ''),
      (l) => `${l.provider} / ${l.apiKey}`,
    ),
    byDay: breakdown(counted, (l) => dayString(l.day)).sort((a, b) => a.key.localeCompare(b.key)),
  };
}

interface Accumulator extends SpendLine {
  kinds: Set<string>;
  requestRows: number;
  rows: number;
}

function breakdown(lines: readonly RollupLine[], keyOf: (line: RollupLine) => string): SpendLine[] {
  const byKey = new Map<string, Accumulator>();
  for (const line of lines) {
    const key = keyOf(line);
    let acc = byKey.get(key);
    if (!acc) {
      acc = {
        key,
        spendNanos: 0,
        basis: 'billed',
        inputTokens: 0,
        outputTokens: 0,
        requests: 0,
        kinds: new Set(),
        requestRows: 0,
        rows: 0,
      };
      byKey.set(key, acc);
    }
    acc.spendNanos += line.costNanos;
    acc.inputTokens += line.inputTokens;
    acc.outputTokens += line.outputTokens;
    acc.requests = (acc.requests ?? 0) + line.requests;
    acc.requestRows += line.countedRows;
    acc.rows += line.rows;
    acc.kinds.add(line.kind);
  }
  return [...byKey.values()]
    .map(({ kinds, requestRows, rows, ...line }) => ({
      ...line,
      basis: kinds.size > 1 ? 'mixed' : kinds.has('cost') ? 'billed' : 'estimated',
      requests: requestRows > 0 && requestRows === rows ? line.requests : null,
    }))
    .sort((a, b) => b.spendNanos - a.spendNanos) as SpendLine[];
}
