/**
 * The waste report as one self-contained HTML file: inline CSS and SVG, no script, no external
 * requests (the CSP forbids them too), so it can be mailed or attached to a ticket as is.
 */
import type { WasteReport } from '../../contracts/waste-report.ts';
import { dailyColumns, spendBars } from './charts.ts';
import { findingsSection } from './html-findings.ts';
import { REPORT_CSS } from './html-style.ts';
import { dailyTable, roiSection, sourcesSection, totalsSection } from './html-tables.ts';
import { currencyWarning, periodText, sourcesRowTotals, spikeDays, topLines } from './labels.ts';
import { empty, fragment, h, raw, type Html } from './markup.ts';
import { formatCount, formatMoney, formatPayback, formatPercent, formatShare } from './money.ts';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
/** Providers past this many are still in the totals table; the chart stays readable. */
const CHART_PROVIDERS = 8;
const CHART_MODELS = 5;

export function renderReportHtml(report: WasteReport): string {
  const title = `Netra Apex waste report · ${periodText(report)}`;
  const head = h(
    'head',
    {},
    empty('meta', { charset: 'utf-8' }),
    empty('meta', { 'http-equiv': 'Content-Security-Policy', content: CSP }),
    empty('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
    empty('meta', { name: 'color-scheme', content: 'light dark' }),
    h('title', {}, title),
    h('style', {}, raw(REPORT_CSS)),
  );
  const body = h(
    'body',
    {},
    h(
      'main',
      {},
      header(report),
      summaryBand(report),
      chartsSection(report),
      findingsSection(report.findings),
      roiSection(report.roi),
      totalsSection(report.totals),
      sourcesSection(report.sources),
      notesSection(report.notes),
      footer(report),
    ),
  );
  return `<!doctype html>\n${h('html', { lang: 'en' }, head, body).html}\n`;
}

function header(report: WasteReport): Html {
  const rows = sourcesRowTotals(report);
  const n = report.sources.length;
  return h(
    'header',
    {},
    h('div', { class: 'eyebrow' }, 'Netra Apex'),
    h('h1', {}, 'AI spend waste report'),
    h(
      'p',
      { class: 'subtitle' },
      `${periodText(report)} · ${n} ${n === 1 ? 'source' : 'sources'}, ${formatCount(rows.imported)} rows · `,
      `${report.findings.length} ${report.findings.length === 1 ? 'finding' : 'findings'}`,
    ),
    currencyWarning(report) && h('p', { class: 'subtitle warn' }, currencyWarning(report)),
  );
}

/** The four numbers a buyer reads first. */
function summaryBand(report: WasteReport): Html {
  const roi = report.roi;
  const fee = formatPercent(roi.assumptions.feeShare);
  return h(
    'section',
    { class: 'summary', 'aria-label': 'Summary' },
    stat(
      'Total spend',
      formatMoney(report.totals.spendNanos),
      `${formatMoney(roi.monthlySpendNanos)} a month`,
    ),
    stat(
      'Projected monthly savings',
      formatMoney(roi.projectedMonthlySavingsNanos),
      `${formatShare(roi.savingsShare)} of monthly spend`,
      'primary',
    ),
    stat(
      `Net after Apex's ${fee} fee`,
      formatMoney(roi.netMonthlyBenefitNanos),
      `a month · ${formatMoney(roi.netAnnualBenefitNanos)} a year`,
      'good',
    ),
    stat('Payback', formatPayback(roi.paybackDays), `on ${formatMoney(roi.setupCostNanos)} of setup effort`),
  );
}

function stat(label: string, value: string, note: string, variant?: 'primary' | 'good'): Html {
  return h(
    'div',
    { class: variant === 'primary' ? 'stat primary' : 'stat' },
    h('div', { class: 'label' }, label),
    h('div', { class: variant === 'good' ? 'value good' : 'value' }, value),
    h('div', { class: 'note' }, note),
  );
}

function chartsSection(report: WasteReport): Html {
  const { byProvider, byDay, spendNanos } = report.totals;
  if (byProvider.length === 0 && byDay.length === 0) return fragment();
  const spikes = spikeDays(report);
  const providers = topLines(byProvider, CHART_PROVIDERS);
  const models = topLines(report.totals.byModel, CHART_MODELS);
  return h(
    'section',
    { 'aria-labelledby': 'spend-heading' },
    h('h2', { id: 'spend-heading' }, 'Where the money goes'),
    h(
      'div',
      { class: 'panels' },
      h(
        'div',
        { class: 'panel' },
        h('h3', {}, 'Spend by provider'),
        spendBars('chart-providers', 'Spend by provider', providers, spendNanos),
        models.length > 0 &&
          h('h3', { class: 'spaced' }, modelsTitle(models.length, report.totals.byModel.length)),
        models.length > 0 && spendBars('chart-models', 'Top models by spend', models, spendNanos),
      ),
      h(
        'div',
        { class: 'panel' },
        h('h3', {}, 'Spend by day'),
        dailyColumns('chart-days', byDay, spikes),
        legend(spikes.size > 0),
        dailyTable(byDay, spikes),
      ),
    ),
  );
}

function modelsTitle(shown: number, all: number): string {
  return shown < all ? `Top ${shown} models` : 'Spend by model';
}

function legend(hasSpikes: boolean): Html {
  return h(
    'div',
    { class: 'legend' },
    h('span', {}, h('span', { class: 'swatch', 'aria-hidden': 'true' }), 'Daily spend'),
    hasSpikes && h('span', {}, h('span', { class: 'swatch spike', 'aria-hidden': 'true' }), 'Spike day'),
  );
}

function notesSection(notes: readonly string[]): Html {
  if (notes.length === 0) return fragment();
  return h(
    'section',
    { 'aria-labelledby': 'notes-heading' },
    h('h2', { id: 'notes-heading' }, 'Notes'),
    h('div', { class: 'panel' }, h('ul', { class: 'notes' }, ...notes.map((n) => h('li', {}, n)))),
  );
}

function footer(report: WasteReport): Html {
  return h(
    'footer',
    {},
    `Generated ${report.generatedAt} by Netra Apex · amounts in ${report.currency} · `,
    `report schema v${report.schemaVersion}. Every finding lists the source rows it rests on.`,
  );
}
