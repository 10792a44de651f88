import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';

const SAMPLES = join(import.meta.dirname, '../../resources/samples');
const GENERATOR = join(import.meta.dirname, '../../scripts/generate-samples.ts');
// 1-based line numbers that are malformed on purpose (documented in resources/SAMPLES.md).
const BAD_CSV_LINES: Record<string, number[]> = { 'aws-cur2-with-errors.csv': [42] };

const files = readdirSync(SAMPLES);
const read = (name: string): string => readFileSync(join(SAMPLES, name), 'utf8');
const csvLines = (text: string): string[] => text.replace(/\n$/, '').split('\n');

// Counts fields of one CSV record, honouring "quoted, fields" and "" escapes (no sample embeds newlines).
function fieldCount(line: string): number {
  let count = 1;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) count++;
  }
  return count;
}

const sumCsv = (name: string, column: string): number => {
  const [header = '', ...rows] = csvLines(read(name));
  const index = header.split(',').indexOf(column);
  return rows.reduce((total, row) => total + Number(row.split(',')[index]), 0);
};

describe('resources/samples', () => {
  it.each(files.filter((f) => f.endsWith('.json')))('%s parses as JSON', (name) => {
    expect(() => JSON.parse(read(name))).not.toThrow();
  });

  it.each(files.filter((f) => f.endsWith('.jsonl')))('%s has one JSON object per line', (name) => {
    for (const line of csvLines(read(name))) expect(JSON.parse(line)).toBeTypeOf('object');
  });

  it.each(files.filter((f) => f.endsWith('.csv')))('%s has a constant column count', (name) => {
    const [header = '', ...rows] = csvLines(read(name));
    const width = fieldCount(header);
    const bad = BAD_CSV_LINES[name] ?? [];
    rows.forEach((row, i) => {
      const lineNo = i + 2;
      if (bad.includes(lineNo)) expect(fieldCount(row)).not.toBe(width);
      else expect(fieldCount(row), `${name}:${lineNo}`).toBe(width);
    });
  });

  it('aws-cur2.csv.gz decompresses to aws-cur2.csv', () => {
    const unzipped = gunzipSync(readFileSync(join(SAMPLES, 'aws-cur2.csv.gz'))).toString('utf8');
    expect(unzipped).toBe(read('aws-cur2.csv'));
  });

  it('the OpenAI with-errors copy has its bad record where the README says', () => {
    const page = JSON.parse(read('openai-usage-completions-with-errors.json'));
    const bad = page.data[3].results[1];
    expect(bad.input_tokens).toBe('12O00');
    expect(bad).not.toHaveProperty('num_model_requests');
    expect(read('openai-usage-completions-with-errors.json').split('\n')[171]).toContain('"12O00"');
  });

  it('totals match the README', () => {
    expect(sumCsv('aws-cur2.csv', 'line_item_unblended_cost')).toBeCloseTo(22827.784, 4);
    expect(sumCsv('focus-1.0-aws.csv', 'BilledCost')).toBeCloseTo(22827.784, 4);
    const costs = JSON.parse(read('openai-costs.json'));
    const openaiUsd = costs.data
      .flatMap((b: { results: Array<{ amount: { value: number } }> }) => b.results)
      .reduce((t: number, r: { amount: { value: number } }) => t + r.amount.value, 0);
    expect(openaiUsd).toBeCloseTo(643.7611, 4);
    const anthropic = JSON.parse(read('anthropic-cost-report.json'));
    const cents = anthropic.data
      .flatMap((b: { results: Array<{ amount: string }> }) => b.results)
      .reduce((t: number, r: { amount: string }) => t + Number(r.amount), 0);
    expect(cents / 100).toBeCloseTo(1377.9, 4);
  });
});

describe('scripts/generate-samples.ts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'apex-samples-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const generate = (format: string, rows: number, out: string): void => {
    execFileSync(process.execPath, [GENERATOR, '--format', format, '--rows', String(rows), '--out', out]);
  };

  it('writes N CUR rows with the header width, also gzipped', () => {
    const out = join(dir, 'cur.csv');
    generate('cur', 137, out);
    const lines = csvLines(readFileSync(out, 'utf8'));
    expect(lines).toHaveLength(138);
    const width = fieldCount(lines[0] ?? '');
    for (const line of lines) expect(fieldCount(line)).toBe(width);
    generate('cur', 137, `${out}.gz`);
    expect(gunzipSync(readFileSync(`${out}.gz`)).toString('utf8')).toBe(readFileSync(out, 'utf8'));
  });

  it('writes N OpenAI usage results as one parseable page', () => {
    const out = join(dir, 'usage.json');
    generate('openai-usage', 500, out);
    const page = JSON.parse(readFileSync(out, 'utf8'));
    const results = page.data.flatMap((b: { results: unknown[] }) => b.results);
    expect(results).toHaveLength(500);
    // 240 results per hourly bucket: 240 + 240 + 20.
    expect(page.data).toHaveLength(3);
  });
});
