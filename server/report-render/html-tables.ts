/** Tables of the HTML report: spend totals, the ROI figures and assumptions, the imported sources. */
import type { ReportSource, Roi, SpendLine, SpendTotals } from '../../contracts/waste-report.ts';
import { th } from './html-findings.ts';
import { lineKey, topLines } from './labels.ts';
import { fragment, h, type Html } from './markup.ts';
import { formatCount, formatMoney, formatPayback, formatPercent, formatShare, shareOf } from './money.ts';

/** Long tails (hundreds of keys) would bury the page; the rest is summed into one line. */
const TABLE_ROWS = 15;

const TOTALS: Array<[keyof Omit<SpendTotals, 'spendNanos' | 'byDay'>, string, string]> = [
  ['byProvider', 'Spend by provider', 'Provider'],
  ['byService', 'Spend by service', 'Service'],
  ['byModel', 'Spend by model', 'Model'],
  ['byProject', 'Spend by project', 'Project'],
  ['byKey', 'Spend by API key (estimated from usage)', 'API key'],
];

export function totalsSection(totals: SpendTotals): Html {
  const tables = TOTALS.filter(([field]) => totals[field].length > 0).map(([field, caption, keyHeader]) =>
    h('div', { class: 'panel' }, spendTable(caption, keyHeader, totals[field], totals.spendNanos)),
  );
  return h(
    'section',
    { 'aria-labelledby': 'totals-heading' },
    h('h2', { id: 'totals-heading' }, 'Spend totals'),
    tables.length > 0
      ? h('div', { class: 'stack' }, ...tables)
      : h('p', { class: 'empty' }, 'No spend imported.'),
  );
}

export function spendTable(
  caption: string,
  keyHeader: string,
  all: readonly SpendLine[],
  total: number,
): Html {
  const lines = topLines(all, TABLE_ROWS);
  const rest = all.length - lines.length;
  const restNanos = all.reduce((s, l) => s + l.spendNanos, 0) - lines.reduce((s, l) => s + l.spendNanos, 0);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('caption', {}, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          th(keyHeader),
          th('Spend', true),
          th('Share', true),
          th('Basis'),
          th('Input tokens', true),
          th('Output tokens', true),
          th('Requests', true),
        ),
      ),
      h('tbody', {}, ...lines.map((l) => spendRow(l, total))),
      rest > 0 &&
        h(
          'tfoot',
          {},
          h(
            'tr',
            {},
            h('td', {}, `${rest} more`),
            h('td', { class: 'num' }, formatMoney(restNanos)),
            h('td', { class: 'num' }, formatShare(shareOf(restNanos, total))),
            h('td', { colspan: 4 }),
          ),
        ),
    ),
  );
}

function spendRow(l: SpendLine, total: number): Html {
  return h(
    'tr',
    {},
    h('th', { scope: 'row', class: 'file' }, lineKey(l)),
    h('td', { class: 'num' }, formatMoney(l.spendNanos)),
    h('td', { class: 'num' }, formatShare(shareOf(l.spendNanos, total))),
    h('td', {}, l.basis),
    h('td', { class: 'num' }, formatCount(l.inputTokens)),
    h('td', { class: 'num' }, formatCount(l.outputTokens)),
    h('td', { class: 'num' }, l.requests === null ? '–' : formatCount(l.requests)),
  );
}

/** Every day's figure, for readers (and screen readers) who want the numbers behind the chart. */
export function dailyTable(days: readonly SpendLine[], spikes: ReadonlySet<string>): Html {
  const rows = [...days]
    .sort((a, b) => (a.key < b.key ? -1 : 1))
    .map((d) =>
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, d.key),
        h('td', { class: 'num' }, formatMoney(d.spendNanos)),
        h('td', {}, spikes.has(d.key) ? 'spike' : ''),
      ),
    );
  return h(
    'details',
    {},
    h('summary', {}, `Daily figures (${days.length} days)`),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        {},
        h('thead', {}, h('tr', {}, th('Day'), th('Spend', true), th('Flag'))),
        h('tbody', {}, ...rows),
      ),
    ),
  );
}

export function roiSection(roi: Roi): Html {
  const a = roi.assumptions;
  const fee = formatPercent(a.feeShare);
  const figures: Array<[string, string]> = [
    ['Monthly spend (run rate)', formatMoney(roi.monthlySpendNanos)],
    ['Projected monthly savings', formatMoney(roi.projectedMonthlySavingsNanos)],
    ['Savings share of spend', formatShare(roi.savingsShare)],
    [`Apex fee (${fee} of savings)`, `−${formatMoney(roi.apexMonthlyFeeNanos)}`],
    ['Net monthly benefit', formatMoney(roi.netMonthlyBenefitNanos)],
    ['Net annual benefit', formatMoney(roi.netAnnualBenefitNanos)],
    ['Payback', formatPayback(roi.paybackDays)],
  ];
  const assumptions: Array<[string, string]> = [
    ['Apex fee', `${fee} of realized savings`],
    ['Setup effort', `${formatCount(a.setupHours)} hours`],
    ['Engineer hourly rate', formatMoney(a.hourlyRateNanos)],
    ['Setup cost', formatMoney(roi.setupCostNanos)],
    ['Month', '30 days'],
  ];
  return h(
    'section',
    { 'aria-labelledby': 'roi-heading' },
    h('h2', { id: 'roi-heading' }, 'Return on investment'),
    h(
      'div',
      { class: 'roi' },
      h('div', { class: 'panel' }, h('h3', {}, 'Projection'), facts(figures)),
      h('div', { class: 'panel' }, h('h3', {}, 'Assumptions'), facts(assumptions)),
    ),
    h(
      'p',
      { class: 'more' },
      'Findings that rest on the same spend count once, at their largest saving; one-off spikes are ',
      'reported but not counted. Savings are projected from the imported period to a 30-day month.',
    ),
  );
}

function facts(pairs: Array<[string, string]>): Html {
  return h('dl', { class: 'facts' }, ...pairs.map(([k, v]) => fragment(h('dt', {}, k), h('dd', {}, v))));
}

export function sourcesSection(sources: readonly ReportSource[]): Html {
  const rows = sources.map((s) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row', class: 'file mono' }, s.file),
      h('td', {}, s.format),
      h('td', {}, s.importedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')),
      h('td', { class: 'num' }, formatCount(s.rowsImported)),
      h('td', { class: 'num' }, formatCount(s.rowsSkipped)),
    ),
  );
  const table = h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          th('File'),
          th('Format'),
          th('Imported at'),
          th('Rows imported', true),
          th('Rows skipped', true),
        ),
      ),
      h('tbody', {}, ...rows),
    ),
  );
  return h(
    'section',
    { 'aria-labelledby': 'sources-heading' },
    h('h2', { id: 'sources-heading' }, `Sources (${sources.length})`),
    sources.length > 0
      ? h('div', { class: 'panel' }, table)
      : h('p', { class: 'empty' }, 'No files imported.'),
  );
}
