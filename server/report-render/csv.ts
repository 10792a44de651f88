/**
 * The findings as RFC 4180 CSV, one row per finding, for spreadsheets and ticket imports. Money is
 * exact decimal USD (no rounding, no separators) so sums in a spreadsheet match the report.
 */
import type { Finding, WasteReport } from '../../contracts/waste-report.ts';
import { nanosToUsd } from '../../pricing/decimal.ts';
import { evidenceRef } from './labels.ts';

export const CSV_COLUMNS = [
  'id',
  'kind',
  'provider',
  'title',
  'confidence',
  'counts_toward_roi',
  'saving_usd',
  'monthly_saving_usd',
  'window_days',
  'evidence_rows',
  'evidence_cost_usd',
  'first_evidence',
  'action',
] as const;

/** A cell is text (guarded against formula injection) or a value the renderer wrote as a number. */
type Cell = { text: string } | { number: string };

export function renderReportCsv(report: WasteReport): string {
  const lines = [CSV_COLUMNS.join(','), ...report.findings.map((f) => row(f).map(encodeCell).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

function row(f: Finding): Cell[] {
  const first = f.evidence.sample[0];
  return [
    text(f.id),
    text(f.kind),
    text(f.provider),
    text(f.title),
    text(f.confidence),
    text(f.countsTowardRoi ? 'true' : 'false'),
    num(nanosToUsd(f.savingNanos)),
    num(nanosToUsd(f.monthlySavingNanos)),
    num(String(f.windowDays)),
    num(String(f.evidence.rows)),
    num(nanosToUsd(f.evidence.costNanos)),
    text(first ? evidenceRef(first) : ''),
    text(f.action),
  ];
}

const text = (value: string): Cell => ({ text: value });
const num = (value: string): Cell => ({ number: value });

// Spreadsheets run a cell starting with one of these as a formula (CWE-1236), so a finding title
// built from a user's prompt or file name could execute; a leading ' makes it plain text.
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

function encodeCell(cell: Cell): string {
  const value = 'text' in cell ? neutralize(cell.text) : cell.number;
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function neutralize(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}
