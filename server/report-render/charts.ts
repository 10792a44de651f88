/**
 * Inline SVG charts for the HTML report. They scale with their container (viewBox) and take their
 * colors from the page's CSS classes, so light and dark mode restyle them with no script.
 */
import type { SpendLine } from '../../contracts/waste-report.ts';
import { lineKey } from './labels.ts';
import { coord, empty, fragment, h, type Html } from './markup.ts';
import { formatMoney, formatMoneyCompact, formatShare, shareOf } from './money.ts';

// Close to the rendered width of a half-page panel, so 12px text stays about 12px on screen.
const WIDTH = 480;
const ROW_HEIGHT = 40;
const BAR_THICKNESS = 10;
const VALUE_CHARS = 22;
const LABEL_CHARS = 46;

interface Frame {
  /** Unique on the page: aria-labelledby points at the title and description by id. */
  id: string;
  height: number;
  title: string;
  desc: string;
}

/** The accessible wrapper every chart shares: role="img", a <title> and a longer <desc>. */
function svgFrame({ id, height, title, desc }: Frame, body: Html): Html {
  return h(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      viewBox: `0 0 ${WIDTH} ${height}`,
      class: 'chart',
      role: 'img',
      'aria-labelledby': `${id}-title ${id}-desc`,
      preserveAspectRatio: 'xMinYMin meet',
    },
    h('title', { id: `${id}-title` }, title),
    h('desc', { id: `${id}-desc` }, desc),
    body,
  );
}

/**
 * A ranked list of bars, largest first: the name and amount on one line, a bar under it. Names get
 * the full width this way, which long model ids need.
 */
export function spendBars(id: string, title: string, lines: readonly SpendLine[], totalNanos: number): Html {
  const max = Math.max(1, ...lines.map((l) => l.spendNanos));
  const height = Math.max(1, lines.length) * ROW_HEIGHT;
  const rows = lines.map((line, i) => spendBar(line, i * ROW_HEIGHT, max, totalNanos));
  const desc = lines.map((l) => `${lineKey(l)} ${formatMoney(l.spendNanos)}`).join('; ') || 'No spend.';
  return svgFrame({ id, height, title, desc }, fragment(...rows));
}

function spendBar(line: SpendLine, y: number, max: number, totalNanos: number): Html {
  const width = Math.max(line.spendNanos > 0 ? 2 : 0, (line.spendNanos / max) * WIDTH);
  const value = `${formatMoneyCompact(line.spendNanos)} · ${formatShare(shareOf(line.spendNanos, totalNanos))}`;
  return h(
    'g',
    {},
    h('title', {}, `${lineKey(line)}: ${formatMoney(line.spendNanos)} (${line.basis})`),
    h('text', { x: 0, y: y + 14, class: 'label' }, short(lineKey(line), LABEL_CHARS)),
    h('text', { x: WIDTH, y: y + 14, class: 'value', 'text-anchor': 'end' }, short(value, VALUE_CHARS)),
    empty('rect', { x: 0, y: y + 21, width: WIDTH, height: BAR_THICKNESS, rx: 3, class: 'track' }, true),
    empty('rect', { x: 0, y: y + 21, width: coord(width), height: BAR_THICKNESS, rx: 3, class: 'bar' }, true),
  );
}

const DAY_HEIGHT = 200;
const PLOT_TOP = 22;
const PLOT_BOTTOM = 170;
const PLOT_LEFT = 56;
const PLOT_RIGHT = WIDTH - 4;

/** Spend per day as columns, spike days in the warning color and labelled with their amount. */
export function dailyColumns(id: string, days: readonly SpendLine[], spikes: ReadonlySet<string>): Html {
  const sorted = [...days].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const max = Math.max(1, ...sorted.map((d) => d.spendNanos));
  const slot = (PLOT_RIGHT - PLOT_LEFT) / Math.max(1, sorted.length);
  const columns = sorted.map((d, i) => dayColumn(d, PLOT_LEFT + i * slot, slot, max, spikes.has(d.key)));
  const frame = { id, height: DAY_HEIGHT, title: 'Spend by day', desc: dailyDesc(sorted, spikes) };
  return svgFrame(frame, fragment(axes(max), ...columns, dayLabels(sorted)));
}

function dayColumn(d: SpendLine, x: number, slot: number, max: number, spike: boolean): Html {
  const gap = Math.min(4, slot * 0.2);
  const height = (d.spendNanos / max) * (PLOT_BOTTOM - PLOT_TOP);
  const top = PLOT_BOTTOM - height;
  const rect = h(
    'rect',
    {
      x: coord(x + gap / 2),
      y: coord(top),
      width: coord(Math.max(1, slot - gap)),
      height: coord(height),
      class: spike ? 'bar spike' : 'bar',
    },
    h('title', {}, `${d.key}: ${formatMoney(d.spendNanos)}${spike ? ' (spike)' : ''}`),
  );
  if (!spike) return rect;
  const label = { x: coord(x + slot / 2), y: coord(top - 5), class: 'tick spike', 'text-anchor': 'middle' };
  return fragment(rect, h('text', label, formatMoneyCompact(d.spendNanos)));
}

function axes(max: number): Html {
  return fragment(
    empty('line', { x1: PLOT_LEFT, x2: PLOT_RIGHT, y1: PLOT_TOP, y2: PLOT_TOP, class: 'grid' }, true),
    empty('line', { x1: PLOT_LEFT, x2: PLOT_RIGHT, y1: PLOT_BOTTOM, y2: PLOT_BOTTOM, class: 'axis' }, true),
    h(
      'text',
      { x: PLOT_LEFT - 6, y: PLOT_TOP + 4, class: 'tick', 'text-anchor': 'end' },
      formatMoneyCompact(max),
    ),
    h('text', { x: PLOT_LEFT - 6, y: PLOT_BOTTOM, class: 'tick', 'text-anchor': 'end' }, '$0'),
  );
}

/** First and last day under the axis; the per-day values are in each column's tooltip and the table. */
function dayLabels(days: readonly SpendLine[]): Html {
  const first = days[0];
  const last = days[days.length - 1];
  const y = PLOT_BOTTOM + 20;
  return fragment(
    first && h('text', { x: PLOT_LEFT, y, class: 'tick' }, first.key),
    last && last !== first && h('text', { x: PLOT_RIGHT, y, class: 'tick', 'text-anchor': 'end' }, last.key),
  );
}

function dailyDesc(days: readonly SpendLine[], spikes: ReadonlySet<string>): string {
  if (days.length === 0) return 'No daily spend.';
  const top = days.reduce((a, b) => (b.spendNanos > a.spendNanos ? b : a));
  const spikeText = spikes.size > 0 ? ` Spike days: ${[...spikes].sort().join(', ')}.` : '';
  const range = `${days[0]?.key} to ${days[days.length - 1]?.key}`;
  return `Daily spend ${range}; highest ${formatMoney(top.spendNanos)} on ${top.key}.${spikeText}`;
}

function short(label: string, chars: number): string {
  return label.length <= chars ? label : `${label.slice(0, chars - 1)}…`;
}
