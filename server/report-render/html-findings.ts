/** The findings section of the HTML report: one card per finding, with its evidence folded away. */
import type { Finding } from '../../contracts/waste-report.ts';
import { kindLabel, savingWindow } from './labels.ts';
import { fragment, h, type Html } from './markup.ts';
import { formatCount, formatMoney } from './money.ts';

const CONFIDENCE_TEXT = { high: 'High confidence', medium: 'Medium confidence', low: 'Low confidence' };

export function findingsSection(findings: readonly Finding[]): Html {
  const body =
    findings.length === 0
      ? h('p', { class: 'empty' }, 'No waste found in the imported data.')
      : h('div', { class: 'findings' }, ...findings.map(findingCard));
  return h(
    'section',
    { 'aria-labelledby': 'findings-heading' },
    h('h2', { id: 'findings-heading' }, `Findings (${findings.length})`),
    body,
  );
}

function findingCard(f: Finding): Html {
  const oneOff = !f.countsTowardRoi;
  return h(
    'article',
    { class: oneOff ? 'finding one-off' : 'finding', id: `finding-${slug(f.id)}` },
    h('div', { class: 'finding-head' }, h('h3', {}, f.title), savingFigure(f)),
    tags(f),
    h('p', { class: 'detail' }, f.detail),
    h('p', { class: 'action' }, h('strong', {}, 'What to do'), f.action),
    evidence(f),
  );
}

/** The headline number: monthly for recurring savings, the one-off excess for spikes. */
function savingFigure(f: Finding): Html {
  if (!f.countsTowardRoi) {
    return h(
      'div',
      { class: 'saving one-off' },
      formatMoney(f.savingNanos),
      h('small', {}, 'one-off, not in ROI'),
    );
  }
  return h('div', { class: 'saving' }, formatMoney(f.monthlySavingNanos), h('small', {}, 'per month'));
}

function tags(f: Finding): Html {
  const badge = CONFIDENCE_TEXT[f.confidence] ?? `${f.confidence} confidence`;
  return h(
    'div',
    { class: 'tags' },
    h('span', { class: `badge ${f.confidence}` }, badge),
    h('span', { class: 'tag' }, kindLabel(f.kind)),
    h('span', { class: 'tag' }, f.provider),
    f.countsTowardRoi && h('span', { class: 'tag' }, `Saves ${savingWindow(f)}`),
  );
}

/** The rows a reader can open at file:line to check the finding for themselves. */
function evidence(f: Finding): Html {
  const e = f.evidence;
  const shown = e.sample.length < e.rows ? ` (first ${e.sample.length} shown)` : '';
  const summary = `Evidence: ${formatCount(e.rows)} ${e.rows === 1 ? 'row' : 'rows'} costing ${formatMoney(e.costNanos)}${shown}`;
  if (e.sample.length === 0) return h('p', { class: 'more' }, summary);
  const rows = e.sample.map((row) =>
    h(
      'tr',
      {},
      h('td', { class: 'file mono' }, `${row.file}:${row.line}`),
      h('td', {}, row.day),
      h('td', { class: 'num' }, formatMoney(row.costNanos)),
    ),
  );
  return h(
    'details',
    {},
    h('summary', {}, summary),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        {},
        h('caption', { class: 'sr-only' }, `Source rows behind “${truncateTitle(f.title)}”`),
        h('thead', {}, h('tr', {}, th('File:line'), th('Day'), th('Cost', true))),
        h('tbody', {}, fragment(...rows)),
      ),
    ),
  );
}

export function th(text: string, numeric = false): Html {
  return h('th', { scope: 'col', class: numeric ? 'num' : undefined }, text);
}

/** Finding ids hold ':'; ids with only safe characters make stable #fragment links. */
function slug(id: string): string {
  return id.replace(/[^a-zA-Z0-9_-]+/g, '-');
}

function truncateTitle(title: string): string {
  return title.length <= 80 ? title : `${title.slice(0, 79)}…`;
}
