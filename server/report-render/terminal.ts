/** What `apex report` prints: the waste report as plain text that reads well at 100 columns. */
import type { Finding, Roi, SpendLine, WasteReport } from '../../contracts/waste-report.ts';
import {
  currencyWarning,
  evidenceRef,
  kindLabel,
  lineKey,
  periodText,
  savingHeadline,
  savingWindow,
  sourcesRowTotals,
  topLines,
} from './labels.ts';
import {
  formatCount,
  formatCountCompact,
  formatMoney,
  formatPayback,
  formatPercent,
  formatShare,
  shareOf,
} from './money.ts';
import { clean, hangingWrap, heading, pairs, styleFor, table, type Pair, type Style } from './text-layout.ts';

export interface TextOptions {
  /** ANSI bold/dim; off by default so piped output and files stay plain. */
  color?: boolean;
  /** Columns to fit; 100 by default. */
  width?: number;
}

const DEFAULT_WIDTH = 100;
// Below this the tables cannot fit their money columns; narrower terminals wrap instead.
const MIN_WIDTH = 60;
const TOP = 5;
const EVIDENCE_REFS = 2;
const ROI_FOOTNOTE =
  'Findings on the same spend count once, at the largest saving; one-off spikes do not count.';

interface Ctx {
  report: WasteReport;
  width: number;
  style: Style;
}

export function renderReportText(report: WasteReport, options: TextOptions = {}): string {
  const ctx: Ctx = {
    report,
    width: Math.max(MIN_WIDTH, Math.floor(options.width ?? DEFAULT_WIDTH)),
    style: styleFor(options.color === true),
  };
  const sections = [
    header(ctx),
    spendByProvider(ctx),
    topTable(ctx, 'Top models', report.totals.byModel, 'model'),
    topTable(ctx, 'Top keys', report.totals.byKey, 'key'),
    findings(ctx),
    roiBlock(ctx, report.roi),
    notes(ctx),
  ];
  return `${sections
    .filter((s) => s.length > 0)
    .map((s) => s.join('\n'))
    .join('\n\n')}\n`;
}

function header({ report, width, style }: Ctx): string[] {
  const rows = sourcesRowTotals(report);
  const sources = report.sources.length;
  const skipped = rows.skipped > 0 ? `, ${formatCount(rows.skipped)} skipped` : '';
  const roi = report.roi;
  return [
    heading('Netra Apex waste report', width, style),
    ...pairs(
      [
        ...currencyPair(report),
        ['Period', periodText(report)],
        [
          'Sources',
          `${sources} ${sources === 1 ? 'file' : 'files'} (${formatCount(rows.imported)} rows imported${skipped})`,
        ],
        [
          'Total spend',
          `${formatMoney(report.totals.spendNanos)} (${formatMoney(roi.monthlySpendNanos)} a month)`,
        ],
        [
          'Savings',
          `${formatMoney(roi.projectedMonthlySavingsNanos)} / month (${formatShare(roi.savingsShare)} of monthly spend) ` +
            `from ${findingCount(report.findings.length)}`,
        ],
      ],
      width,
      style,
    ),
  ];
}

function spendByProvider(ctx: Ctx): string[] {
  const { report, width, style } = ctx;
  const lines = topLines(report.totals.byProvider, Infinity);
  if (lines.length === 0) return [heading('Spend by provider', width, style), '  No spend imported.'];
  const rows = lines.map((l) => [
    lineKey(l),
    formatMoney(l.spendNanos),
    formatShare(shareOf(l.spendNanos, report.totals.spendNanos)),
    l.basis,
    l.requests === null ? '' : formatCount(l.requests),
  ]);
  rows.push(['total', formatMoney(report.totals.spendNanos), formatShare(lines.length > 0 ? 1 : 0), '', '']);
  const columns = [
    { header: 'provider', align: 'left' as const },
    { header: 'spend', align: 'right' as const },
    { header: 'share', align: 'right' as const },
    { header: 'basis', align: 'left' as const },
    { header: 'requests', align: 'right' as const },
  ];
  return [heading('Spend by provider', width, style), ...table(columns, rows, width, style)];
}

function topTable(ctx: Ctx, title: string, all: SpendLine[], keyHeader: string): string[] {
  const { report, width, style } = ctx;
  if (all.length === 0) return [];
  const lines = topLines(all, TOP);
  const shown = all.length > lines.length ? `${title} (${lines.length} of ${all.length})` : title;
  const rows = lines.map((l) => [
    lineKey(l),
    formatMoney(l.spendNanos),
    formatShare(shareOf(l.spendNanos, report.totals.spendNanos)),
    l.basis,
    formatCountCompact(l.inputTokens),
    formatCountCompact(l.outputTokens),
    l.requests === null ? '' : formatCount(l.requests),
  ]);
  const columns = [
    { header: keyHeader, align: 'left' as const },
    { header: 'spend', align: 'right' as const },
    { header: 'share', align: 'right' as const },
    { header: 'basis', align: 'left' as const },
    { header: 'in tok', align: 'right' as const },
    { header: 'out tok', align: 'right' as const },
    { header: 'requests', align: 'right' as const },
  ];
  return [heading(shown, width, style), ...table(columns, rows, width, style)];
}

function findings(ctx: Ctx): string[] {
  const { report, width, style } = ctx;
  const title = `Findings (${report.findings.length})`;
  if (report.findings.length === 0) {
    return [heading(title, width, style), '  No waste found in the imported data.'];
  }
  const blocks = report.findings.map((f, i) => finding(ctx, f, i + 1));
  return [heading(title, width, style), ...blocks.flatMap((b, i) => (i === 0 ? b : ['', ...b]))];
}

/** One finding: title, the money and how sure, then the why, the what-to-do and where to look. */
function finding({ width, style }: Ctx, f: Finding, n: number): string[] {
  const number = `${String(n).padStart(2)}. `;
  const indent = ' '.repeat(number.length + 2);
  const headline = savingHeadline(f);
  const facts = [
    headline,
    `${f.confidence} confidence`,
    kindLabel(f.kind),
    clean(f.provider),
    f.countsTowardRoi ? savingWindow(f) : 'not counted in ROI',
  ].join(' · ');
  return [
    ...hangingWrap(`  ${number}`, f.title, width).map(style.bold),
    ...hangingWrap(indent, facts, width).map((l, i) =>
      i === 0 ? l.replace(headline, style.bold(headline)) : l,
    ),
    ...hangingWrap(indent, f.detail, width),
    ...hangingWrap(`${indent}→ `, f.action, width),
    ...hangingWrap(`${indent}evidence: `, evidenceSummary(f), width).map(style.dim),
  ];
}

function evidenceSummary(f: Finding): string {
  const e = f.evidence;
  const rows = `${formatCount(e.rows)} ${e.rows === 1 ? 'row' : 'rows'}, ${formatMoney(e.costNanos)}`;
  const refs = e.sample.slice(0, EVIDENCE_REFS).map(evidenceRef);
  const more = e.rows > refs.length && refs.length > 0 ? ', …' : '';
  return refs.length > 0 ? `${rows} · ${refs.join(', ')}${more}` : rows;
}

function roiBlock({ width, style }: Ctx, roi: Roi): string[] {
  const a = roi.assumptions;
  const fee = formatPercent(a.feeShare);
  const setup =
    `setup ${formatCount(a.setupHours)} h at ${formatMoney(a.hourlyRateNanos)}/h = ` +
    formatMoney(roi.setupCostNanos);
  return [
    heading('Return on investment', width, style),
    ...pairs(
      [
        [
          'Projected monthly savings',
          `${formatMoney(roi.projectedMonthlySavingsNanos)} (${formatShare(roi.savingsShare)} of ` +
            `${formatMoney(roi.monthlySpendNanos)} monthly spend)`,
        ],
        [`Apex fee (${fee} of savings)`, `-${formatMoney(roi.apexMonthlyFeeNanos)} / month`],
        ['Net monthly benefit', `${formatMoney(roi.netMonthlyBenefitNanos)} / month`, true],
        ['Net annual benefit', `${formatMoney(roi.netAnnualBenefitNanos)} / year`, true],
        ['Payback', `${formatPayback(roi.paybackDays)} (${setup})`],
      ],
      width,
      style,
    ),
    ...hangingWrap('  ', ROI_FOOTNOTE, width).map(style.dim),
  ];
}

function notes({ report, width, style }: Ctx): string[] {
  if (report.notes.length === 0) return [];
  return [heading('Notes', width, style), ...report.notes.flatMap((n) => hangingWrap('  - ', n, width))];
}

function currencyPair(report: WasteReport): Pair[] {
  const warning = currencyWarning(report);
  return warning ? [['Currency', warning]] : [];
}

function findingCount(n: number): string {
  return `${n} ${n === 1 ? 'finding' : 'findings'}`;
}
