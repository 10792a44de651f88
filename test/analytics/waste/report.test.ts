import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding, WasteReport } from '../../../contracts/waste-report.ts';
import { importFiles } from '../../../analytics/import/importer.ts';
import { openStore } from '../../../analytics/store/db.ts';
import { buildWasteReport } from '../../../analytics/waste/report.ts';
import { loadPriceBook } from '../../../pricing/catalog.ts';

const sample = (name: string): string =>
  fileURLToPath(new URL(`../../../resources/samples/${name}`, import.meta.url));
const USD = 1_000_000_000;

async function reportOf(files: string[]): Promise<WasteReport> {
  const db = openStore(':memory:');
  const prices = await loadPriceBook();
  await importFiles(files.map(sample), { db, prices });
  return buildWasteReport(db, { prices, now: new Date('2026-11-01T00:00:00Z') });
}

function only(report: WasteReport, kind: Finding['kind']): Finding {
  const found = report.findings.filter((f) => f.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0] as Finding;
}

// Every expected figure below is worked out by hand in resources/SAMPLES.md.
describe('waste findings on the AWS CUR sample', () => {
  let report: WasteReport;
  beforeAll(async () => {
    report = await reportOf(['aws-cur2.csv']);
  });

  it('finds the idle p4d: all of its $11,011.5936 over 14 days, $23,596.272 a month', () => {
    const idle = only(report, 'idle-gpu');
    expect(idle.savingNanos).toBe(11_011_593_600_000);
    expect(idle.windowDays).toBe(14);
    expect(idle.monthlySavingNanos).toBe(23_596_272_000_000);
    expect(idle.confidence).toBe('high');
    expect(idle.evidence.rows).toBe(14);
    expect(idle.evidence.sample[0]).toMatchObject({
      line: 2,
      day: '2026-10-01',
      costNanos: 786_542_400 * 1000,
    });
    expect(idle.evidence.sample[0]?.file).toMatch(/aws-cur2\.csv$/);
  });

  it('prices the interruptible p5 on spot at the bill own spot ratio (685.9776 / 1,905.792)', () => {
    const spot = only(report, 'spot-gpu');
    // 7,705.60 x 685.9776 / 1,905.792 = 2,773.581269394 on spot.
    expect(spot.savingNanos).toBe(7_705_600_000_000 - 2_773_581_269_394);
    expect(spot.monthlySavingNanos).toBe(10_568_611_565_584);
  });

  it('sees Bedrock reading only 1.64% of its input from cache', () => {
    const caching = only(report, 'prompt-caching');
    // (0.8 x 854,000,000 - 14,000,000) x ($3.00 - $0.30) / 1M = $1,806.84
    expect(caching.savingNanos).toBe(1_806_840_000_000);
    expect(caching.metrics['cachedShare']).toBeCloseTo(14 / 854, 10);
    expect(caching.provider).toBe('aws');
  });

  it('suggests a commitment for the steady, busy g6 and nothing for the spot g5', () => {
    const commitment = only(report, 'gpu-commitment');
    expect(commitment.savingNanos).toBe(81_123_840_000); // 30% of $270.4128
    expect(commitment.evidence.filter.resourceId).toBe('i-0d6600000000rerank');
    expect(report.findings.some((f) => f.evidence.filter.resourceId === 'i-0c6500000000embed')).toBe(false);
  });

  it('flags 2026-10-09 as a one-off spike of $1,050 that is not counted as savings', () => {
    const spike = only(report, 'spend-spike');
    expect(spike.savingNanos).toBe(1_050 * USD);
    expect(spike.monthlySavingNanos).toBe(0);
    expect(spike.countsTowardRoi).toBe(false);
    expect(spike.evidence.sample.every((row) => row.day === '2026-10-09')).toBe(true);
  });

  it('totals spend by provider and day and projects the ROI from the recurring findings', () => {
    expect(report.totals.spendNanos).toBe(22_827_784_000_000);
    expect(report.totals.byProvider).toEqual([
      expect.objectContaining({ key: 'aws', basis: 'billed', spendNanos: 22_827_784_000_000 }),
    ]);
    expect(report.totals.byDay).toHaveLength(14);
    expect(report.totals.byDay.find((d) => d.key === '2026-10-09')?.spendNanos).toBe(2_605_556_000_000);
    expect(report.period).toEqual({ start: '2026-10-01', end: '2026-10-14', days: 14 });
    const recurring = report.findings.filter((f) => f.countsTowardRoi);
    const savings = recurring.reduce((s, f) => s + f.monthlySavingNanos, 0);
    expect(report.roi.projectedMonthlySavingsNanos).toBe(savings);
    expect(report.roi.apexMonthlyFeeNanos).toBe(Math.round(savings * 0.2));
    expect(report.roi.netMonthlyBenefitNanos).toBe(savings - report.roi.apexMonthlyFeeNanos);
    expect(report.roi.monthlySpendNanos).toBe(Math.round((22_827_784_000_000 * 30) / 14));
    expect(report.roi.paybackDays).toBeGreaterThan(0);
  });
});

describe('waste findings on the Apex request log sample', () => {
  let report: WasteReport;
  beforeAll(async () => {
    report = await reportOf(['apex-request-log.jsonl']);
  });

  it('counts 290 exact repeats of 10 FAQ prompts (case and spacing ignored) at $0.0006 each', () => {
    const dup = only(report, 'duplicate-prompts');
    expect(dup.savingNanos).toBe(290 * 600_000);
    expect(dup.metrics).toMatchObject({ distinctPrompts: 10, requests: 300, repeats: 290 });
    expect(dup.confidence).toBe('high');
  });

  it('groups 8 topics x 5 near-identical wordings; a semantic cache saves 32 first requests', () => {
    const near = only(report, 'near-duplicate-prompts');
    expect(near.metrics).toMatchObject({ groups: 8, variants: 40 });
    expect(near.savingNanos).toBe(32 * 405_000);
  });

  it('routes 500 tiny gpt-4o classifications to gpt-4o-mini', () => {
    const routing = only(report, 'model-routing');
    // 60,000 in x $2.50 + 2,500 out x $10 = $0.175 on gpt-4o; x $0.15 / $0.60 = $0.0105 on mini.
    expect(routing.savingNanos).toBe(175_000_000 - 10_500_000);
    expect(routing.metrics['cheaperModel']).toBe('gpt-4o-mini');
  });

  it('finds 24,000-token contract reviews worth compressing', () => {
    const oversized = only(report, 'oversized-prompts');
    expect(oversized.savingNanos).toBe(576_000_000); // 20% of 960,000 tokens at $3 per 1M
  });

  it('notes that the Batch API is never used', () => {
    expect(report.notes.join('\n')).toMatch(
      /openai: none of the imported usage \(840 requests\) used the Batch API/,
    );
  });
});
