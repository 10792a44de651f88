import type Database from 'better-sqlite3';
import {
  WASTE_REPORT_SCHEMA_VERSION,
  type Finding,
  type ReportSource,
  type RoiAssumptions,
  type WasteReport,
} from '../../contracts/waste-report.ts';
import type { PriceBook } from '../../pricing/types.ts';
import { duplicateFindings } from './duplicates.ts';
import { evidenceRows } from './evidence.ts';
import type { DraftFinding } from './finding.ts';
import { gpuFindings } from './gpu-findings.ts';
import { dayString, loadResourceGroups, loadUsageGroups, type UsageGroup } from './groups.ts';
import { llmFindings } from './llm-findings.ts';
import { DEFAULT_ROI_ASSUMPTIONS, projectRoi } from './roi.ts';
import { spikeFindings } from './spikes.ts';
import { spendTotals } from './totals.ts';

export interface ReportOptions {
  prices: PriceBook;
  roi?: Partial<RoiAssumptions>;
  /** Evidence rows listed per finding (default 10). */
  evidenceSample?: number;
  now?: Date;
}

/** Analyses everything imported so far into the waste report (reads the rollup, not the raw rows). */
export function buildWasteReport(db: Database.Database, options: ReportOptions): WasteReport {
  const period = storePeriod(db);
  const groups = loadUsageGroups(db);
  const drafts = [
    ...llmFindings(groups, options.prices),
    ...duplicateFindings(db),
    ...gpuFindings(loadResourceGroups(db), period?.days ?? 1),
    ...spikeFindings(db),
  ];
  const findings = drafts.map((d) => withEvidence(db, d, options.evidenceSample ?? 10));
  findings.sort((a, b) => b.monthlySavingNanos - a.monthlySavingNanos || b.savingNanos - a.savingNanos);
  const totals = spendTotals(db);
  return {
    schemaVersion: WASTE_REPORT_SCHEMA_VERSION,
    generatedAt: (options.now ?? new Date()).toISOString(),
    currency: storeCurrency(db),
    period,
    sources: sources(db),
    totals,
    findings,
    roi: projectRoi(findings, totals.spendNanos, period?.days ?? 1, {
      ...DEFAULT_ROI_ASSUMPTIONS,
      ...options.roi,
    }),
    notes: batchNotes(groups),
  };
}

function withEvidence(db: Database.Database, draft: DraftFinding, sample: number): Finding {
  const { firstRowId, ...finding } = draft;
  const rows = evidenceRows(db, finding.evidence.filter, { limit: sample, fromRowId: firstRowId });
  return { ...finding, evidence: { ...finding.evidence, sample: rows } };
}

function storePeriod(db: Database.Database): WasteReport['period'] {
  const row = db.prepare('SELECT min(day) AS first, max(day) AS last FROM cost_daily').get() as {
    first: number | null;
    last: number | null;
  };
  if (row.first === null || row.last === null) return null;
  return { start: dayString(row.first), end: dayString(row.last), days: row.last - row.first + 1 };
}

function storeCurrency(db: Database.Database): string {
  const currencies = db.prepare('SELECT DISTINCT currency FROM cost_daily').pluck().all() as string[];
  return currencies.length === 1 ? (currencies[0] as string) : currencies.length === 0 ? 'USD' : 'mixed';
}

function sources(db: Database.Database): ReportSource[] {
  const rows = db
    .prepare(
      `SELECT path AS file, format, imported_at AS importedAt, rows_imported AS rowsImported,
              rows_skipped AS rowsSkipped FROM import_files ORDER BY id`,
    )
    .all() as Array<Omit<ReportSource, 'importedAt'> & { importedAt: number }>;
  return rows.map((r) => ({ ...r, importedAt: new Date(r.importedAt).toISOString() }));
}

/** Providers with a Batch API whose usage never used it: worth knowing even without a named job. */
function batchNotes(groups: readonly UsageGroup[]): string[] {
  const notes: string[] = [];
  for (const provider of ['openai', 'anthropic']) {
    const usage = groups.filter((g) => g.provider === provider && g.kind === 'usage');
    if (usage.length === 0 || usage.some((g) => g.batch === 1)) continue;
    const requests = usage.reduce((s, g) => s + (g.requests ?? 0), 0);
    const counted = requests > 0 ? ` (${requests.toLocaleString('en-US')} requests)` : '';
    notes.push(
      `${provider}: none of the imported usage${counted} used the Batch API (50% off); any work that can wait 24 hours could.`,
    );
  }
  return notes;
}
