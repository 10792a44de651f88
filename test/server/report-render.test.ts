import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding, WasteReport } from '../../contracts/waste-report.ts';
import { importFiles } from '../../analytics/import/importer.ts';
import { openStore } from '../../analytics/store/db.ts';
import { buildWasteReport } from '../../analytics/waste/report.ts';
import { loadPriceBook } from '../../pricing/catalog.ts';
import { nanosToUsd } from '../../pricing/decimal.ts';
import { CSV_COLUMNS, renderReportCsv } from '../../server/report-render/csv.ts';
import { renderReportHtml } from '../../server/report-render/html.ts';
import {
  formatCountCompact,
  formatMoney,
  formatMoneyCompact,
  formatPayback,
  formatPercent,
} from '../../server/report-render/money.ts';
import { renderReportText } from '../../server/report-render/terminal.ts';

const sample = (name: string): string =>
  fileURLToPath(new URL(`../../resources/samples/${name}`, import.meta.url));
const USD = 1_000_000_000;
const EVIL = '<script>alert(1)</script>';

let real: WasteReport;
beforeAll(async () => {
  const db = openStore(':memory:');
  const prices = await loadPriceBook();
  await importFiles([sample('aws-cur2.csv'), sample('apex-request-log.jsonl')], { db, prices });
  real = buildWasteReport(db, { prices, now: new Date('2026-11-01T00:00:00Z') });
});

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    id: 'model-routing:abc123',
    kind: 'model-routing',
    title: 'gpt-4o answers small requests',
    detail: 'They cost $0.175 and would cost $0.0105: $0.1645 saved.',
    action: 'Route them to gpt-4o-mini.',
    provider: 'openai',
    savingNanos: 164_500_000,
    monthlySavingNanos: 352_500_000,
    windowDays: 14,
    confidence: 'medium',
    countsTowardRoi: true,
    scope: 'key:openai:k',
    metrics: {},
    evidence: {
      filter: { provider: 'openai' },
      rows: 500,
      costNanos: 175_000_000,
      sample: [{ file: 'logs/a.jsonl', line: 341, day: '2026-10-01', costNanos: 350_000 }],
    },
    ...overrides,
  };
}

function handWritten(findings: Finding[]): WasteReport {
  const line = { basis: 'billed' as const, inputTokens: 0, outputTokens: 0, requests: null };
  return {
    schemaVersion: 1,
    generatedAt: '2026-11-01T00:00:00.000Z',
    currency: 'USD',
    period: { start: '2026-10-01', end: '2026-10-02', days: 2 },
    sources: [
      {
        file: `uploads/"><img src=x onerror=alert(1)>.csv`,
        format: 'aws-cur2',
        importedAt: '2026-11-01T00:00:00.000Z',
        rowsImported: 10,
        rowsSkipped: 2,
      },
    ],
    totals: {
      spendNanos: 3 * USD,
      byProvider: [{ key: `<b>${EVIL}`, spendNanos: 3 * USD, ...line }],
      byService: [],
      byModel: [],
      byProject: [],
      byKey: [],
      byDay: [
        { key: '2026-10-01', spendNanos: USD, ...line },
        { key: '2026-10-02', spendNanos: 2 * USD, ...line },
      ],
    },
    findings,
    roi: {
      assumptions: { feeShare: 0.2, setupHours: 8, hourlyRateNanos: 150 * USD },
      monthlySpendNanos: 45 * USD,
      projectedMonthlySavingsNanos: 352_500_000,
      savingsShare: 0.0078,
      apexMonthlyFeeNanos: 70_500_000,
      netMonthlyBenefitNanos: 282_000_000,
      netAnnualBenefitNanos: 3_384_000_000,
      setupCostNanos: 1200 * USD,
      paybackDays: 127_659.6,
    },
    notes: [`A note & ${EVIL}`],
  };
}

describe('money formatting', () => {
  it('uses thousands separators and 2 decimals from $1, significant digits below', () => {
    expect(formatMoney(11_011_593_600_000)).toBe('$11,011.59');
    expect(formatMoney(164_500_000)).toBe('$0.1645');
    expect(formatMoney(421_000)).toBe('$0.000421');
    expect(formatMoney(5)).toBe('$0.000000005');
    expect(formatMoney(0)).toBe('$0.00');
    expect(formatMoney(999_999_999)).toBe('$1.00');
    expect(formatMoney(1_050 * USD)).toBe('$1,050.00');
    expect(formatMoney(-7_642_501_555_974)).toBe('-$7,642.50');
    expect(formatMoney(366_840_074_686_752)).toBe('$366,840.07');
  });

  it('has short forms for charts and narrow columns', () => {
    expect(formatMoneyCompact(22_827_784_000_000)).toBe('$22.8k');
    expect(formatMoneyCompact(3_360_000_000)).toBe('$3.36');
    expect(formatMoneyCompact(1_200_000 * USD)).toBe('$1.2M');
    expect(formatCountCompact(854_000_000)).toBe('854M');
    expect(formatCountCompact(9_500)).toBe('9,500');
    expect(formatPercent(0.2)).toBe('20%');
    expect(formatPayback(1.2)).toBe('1.2 days');
    expect(formatPayback(null)).toMatch(/no payback/);
  });
});

describe('renderReportText', () => {
  it('prints the header, spend, every finding with its monthly saving, the ROI and notes', () => {
    const text = renderReportText(real);
    expect(text).toContain('2026-10-01 to 2026-10-14 (14 days)');
    expect(text).toContain('2 files (978 rows imported)');
    expect(text).toContain(formatMoney(real.totals.spendNanos));
    expect(text).toMatch(/aws\s+\$22,827\.78/);
    const flat = text.replace(/\n\s+/g, ' ');
    for (const f of real.findings) {
      expect(flat).toContain(f.title);
      const saving = f.countsTowardRoi
        ? `${formatMoney(f.monthlySavingNanos)} / month`
        : formatMoney(f.savingNanos);
      expect(flat).toContain(saving);
      expect(flat).toContain(`${f.evidence.sample[0]?.file}:${f.evidence.sample[0]?.line}`);
    }
    expect(text).toContain('$23,596.27 / month');
    expect(text).toContain('$0.1645 over 14 days');
    expect(text).toContain('$1,050.00 one-off');
    expect(text).toContain('Apex fee (20% of savings)  -$7,642.50 / month');
    expect(text).toContain('$30,570.01 / month');
    expect(text).toContain('$366,840.07 / year');
    expect(text).toContain('1.2 days');
    expect(text).toContain('none of the imported usage (840 requests) used the Batch API');
  });

  it('fits the width, and color only adds ANSI styling around the same text', () => {
    const plain = renderReportText(real);
    expect(plain).not.toContain('\x1b');
    // Long sample paths are absolute here; only an unbreakable path may exceed the width.
    for (const line of plain.split('\n'))
      if (!line.includes('/')) expect(line.length).toBeLessThanOrEqual(100);
    const colored = renderReportText(real, { color: true });
    expect(colored).toContain('\x1b[1m');
    // eslint-disable-next-line no-control-regex
    expect(colored.replace(/\x1b\[\d+m/g, '')).toBe(plain);
    for (const line of renderReportText(real, { width: 72 }).split('\n')) {
      if (!line.includes('/')) expect(line.length).toBeLessThanOrEqual(72);
    }
  });

  it('prints user strings inertly and handles an empty store', () => {
    const text = renderReportText(handWritten([finding({ title: 'evil\x1b]0;pwned\x07 title' })]), {
      color: false,
    });
    expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f]/); // eslint-disable-line no-control-regex
    expect(text).toContain('evil ]0;pwned title');
    const empty = { ...handWritten([]), period: null, totals: { ...handWritten([]).totals, byProvider: [] } };
    expect(renderReportText(empty)).toContain('No waste found');
    expect(renderReportText(empty)).toContain('No spend imported.');
    expect(renderReportHtml(empty)).toContain('No waste found');
    const euro = { ...handWritten([]), currency: 'EUR' };
    expect(renderReportText(euro)).toContain('Imported amounts are in EUR');
    expect(renderReportHtml(euro)).toContain('Imported amounts are in EUR');
  });
});

describe('renderReportHtml', () => {
  it('escapes every string that comes from user data', () => {
    const html = renderReportHtml(handWritten([finding({ title: EVIL, detail: `a & b ${EVIL}` })]));
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('uploads/&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.csv');
    expect(html).toContain('A note &amp; &lt;script&gt;');
  });

  it('has one card per finding, the summary figures, tables and accessible SVG charts', () => {
    const html = renderReportHtml(real);
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html.match(/<article class="finding/g)).toHaveLength(real.findings.length);
    expect(html.match(/<details>/g)?.length).toBeGreaterThanOrEqual(real.findings.length);
    for (const f of real.findings) expect(html).toContain(`badge ${f.confidence}`);
    for (const figure of ['$22,831.52', '$38,212.51', '$30,570.01', '1.2 days', '$1,050.00']) {
      expect(html).toContain(figure);
    }
    expect(html).toContain('<th scope="col" class="num">Rows imported</th>');
    const svgs = html.match(/<svg [^>]*>/g) ?? [];
    expect(svgs.length).toBeGreaterThanOrEqual(2);
    for (const svg of svgs) {
      expect(svg).toContain('role="img"');
      const ids = /aria-labelledby="([^"]+)"/.exec(svg)?.[1]?.split(' ') ?? [];
      expect(ids).toHaveLength(2);
      for (const id of ids) expect(html).toContain(`id="${id}"`);
    }
    expect(html).toMatch(/<rect [^>]*class="bar spike"><title>2026-10-09: \$[\d,.]+ \(spike\)<\/title>/);
    expect(html.match(/class="bar spike"/g)).toHaveLength(1);
    expect(html).toContain('prefers-color-scheme: dark');
  });

  it('makes no external requests', () => {
    const html = renderReportHtml(real).replaceAll('xmlns="http://www.w3.org/2000/svg"', '');
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<(script|link|img|iframe)\b/i);
    expect(html).toContain('default-src &#39;none&#39;');
  });
});

function parseCsv(text: string): string[][] {
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

describe('renderReportCsv', () => {
  it('parses back to one row per finding with exact USD strings', () => {
    const csv = renderReportCsv(real);
    expect(csv.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(csv);
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(real.findings.length);
    const col = (name: (typeof CSV_COLUMNS)[number]): number => CSV_COLUMNS.indexOf(name);
    real.findings.forEach((f, i) => {
      const row = rows[i] ?? [];
      expect(row[col('id')]).toBe(f.id);
      expect(row[col('saving_usd')]).toBe(nanosToUsd(f.savingNanos));
      expect(row[col('monthly_saving_usd')]).toBe(nanosToUsd(f.monthlySavingNanos));
      expect(row[col('evidence_cost_usd')]).toBe(nanosToUsd(f.evidence.costNanos));
      expect(row[col('first_evidence')]).toBe(`${f.evidence.sample[0]?.file}:${f.evidence.sample[0]?.line}`);
    });
    const idle = rows.find((r) => r[col('kind')] === 'idle-gpu') ?? [];
    expect(idle.slice(col('saving_usd'), col('evidence_cost_usd') + 1)).toEqual([
      '11011.5936',
      '23596.272',
      '14',
      '14',
      '11011.5936',
    ]);
  });

  it('quotes commas, quotes and newlines, and neutralizes formulas in text only', () => {
    const titles = [
      'Cut, then "cache" it',
      '=HYPERLINK("http://x","y")',
      '+1',
      '@SUM(A1)',
      '\tx',
      'two\nlines',
    ];
    const findings = titles.map((title, i) =>
      finding({ id: `id-${i}`, title, savingNanos: -1_500_000_000, action: '-do this' }),
    );
    const csv = renderReportCsv(handWritten(findings));
    expect(csv).toContain('"Cut, then ""cache"" it"');
    const [, ...rows] = parseCsv(csv);
    const title = CSV_COLUMNS.indexOf('title');
    expect(rows.map((r) => r[title])).toEqual([
      'Cut, then "cache" it',
      `'=HYPERLINK("http://x","y")`,
      "'+1",
      "'@SUM(A1)",
      "'\tx",
      'two\nlines',
    ]);
    for (const row of rows) {
      expect(row[CSV_COLUMNS.indexOf('saving_usd')]).toBe('-1.5');
      expect(row[CSV_COLUMNS.indexOf('action')]).toBe("'-do this");
    }
  });
});
