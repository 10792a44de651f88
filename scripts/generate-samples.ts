// Generates large, deterministic bill/usage exports for importer load tests, in the same shapes as the
// hand-checked samples in resources/samples/ (see its README for the format specifications).
//
//   node scripts/generate-samples.ts --format openai-usage|cur --rows N --out FILE [--seed S]
//
// Rows are streamed to disk in ~1 MiB chunks so a 1M-row file never sits in memory; FILE ending in .gz is
// gzip-compressed on the fly. The same seed always yields byte-identical output.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { parseArgs } from 'node:util';
import type { Writable } from 'node:stream';
import { CUR_COLUMNS } from './cur-columns.ts';

type Format = 'openai-usage' | 'cur';
interface Options {
  format: Format;
  rows: number;
  out: string;
  seed: number;
}
type Rng = () => number;
interface Sink {
  write(text: string): Promise<void>;
  close(): Promise<void>;
}

const DAY0_MS = Date.UTC(2026, 9, 1);
const HOUR_MS = 3_600_000;
const CHUNK_CHARS = 1 << 20;

// mulberry32: tiny, fast and good enough for synthetic data; Math.random cannot be seeded.
function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
const intBetween = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      format: { type: 'string' },
      rows: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string', default: '42' },
    },
  });
  const format = values.format;
  if (format !== 'openai-usage' && format !== 'cur') throw new Error('--format must be openai-usage or cur');
  const rows = Number(values.rows);
  if (!Number.isInteger(rows) || rows < 0) throw new Error('--rows must be a non-negative integer');
  if (!values.out) throw new Error('--out FILE is required');
  return { format, rows, out: values.out, seed: Number(values.seed) };
}

// Batches small strings into large writes and waits for 'drain', so memory stays flat at any row count.
function openSink(path: string): Sink {
  const file = createWriteStream(path);
  const target: Writable = path.endsWith('.gz') ? createGzip() : file;
  if (target !== file) target.pipe(file);
  let parts: string[] = [];
  let size = 0;
  const flush = async (): Promise<void> => {
    if (size === 0) return;
    const ok = target.write(parts.join(''));
    parts = [];
    size = 0;
    if (!ok) await once(target, 'drain');
  };
  return {
    async write(text) {
      parts.push(text);
      size += text.length;
      if (size >= CHUNK_CHARS) await flush();
    },
    async close() {
      await flush();
      target.end();
      await finished(file);
    },
  };
}

// ---------- OpenAI /v1/organization/usage/completions ----------

const OPENAI_MODELS = [
  'gpt-4o-2024-08-06',
  'gpt-4o-mini-2024-07-18',
  'gpt-4.1-2025-04-14',
  'o3-mini-2025-01-31',
];
// 20 projects x 3 keys x 4 models active every hour, as a busy organization's export has them.
const OPENAI_RESULTS_PER_BUCKET = 240;

// Some groups carry the waste the report looks for: every 7th sends tiny requests (routable), every
// 11th caches almost nothing of long prompts.
function openaiResult(rng: Rng, slot: number): Record<string, unknown> {
  const requests = intBetween(rng, 1, 5000);
  const tiny = slot % 7 === 3;
  const inputTokens = requests * (tiny ? intBetween(rng, 40, 400) : intBetween(rng, 1_200, 16_000));
  const cachedShare = slot % 11 === 5 ? rng() * 0.05 : 0.2 + rng() * 0.6;
  const project = slot % 20;
  return {
    object: 'organization.usage.completions.result',
    input_tokens: inputTokens,
    output_tokens: requests * (tiny ? intBetween(rng, 5, 60) : intBetween(rng, 50, 800)),
    input_cached_tokens: Math.floor(inputTokens * cachedShare),
    input_audio_tokens: 0,
    output_audio_tokens: 0,
    num_model_requests: requests,
    project_id: `proj_gen${String(project).padStart(2, '0')}`,
    user_id: null,
    api_key_id: `key_gen${String(project).padStart(2, '0')}_${Math.floor(slot / 20) % 3}`,
    model: OPENAI_MODELS[Math.floor(slot / 60) % OPENAI_MODELS.length],
    batch: slot % 10 === 0,
  };
}

function openaiBucketOpen(index: number): string {
  const start = (DAY0_MS + index * HOUR_MS) / 1000;
  const comma = index === 0 ? '' : ',';
  return `${comma}\n{"object":"bucket","start_time":${start},"end_time":${start + 3600},"results":[`;
}

async function writeOpenaiUsage(sink: Sink, rows: number, rng: Rng): Promise<void> {
  await sink.write('{"object":"page","data":[');
  for (let i = 0; i < rows; i++) {
    const slot = i % OPENAI_RESULTS_PER_BUCKET;
    if (slot === 0) await sink.write(openaiBucketOpen(i / OPENAI_RESULTS_PER_BUCKET));
    const last = slot === OPENAI_RESULTS_PER_BUCKET - 1 || i === rows - 1;
    await sink.write((slot === 0 ? '' : ',') + JSON.stringify(openaiResult(rng, slot)) + (last ? ']}' : ''));
  }
  await sink.write('\n],"has_more":false,"next_page":null}\n');
}

// ---------- AWS CUR 2.0 (Data Exports) CSV ----------

interface CurTemplate {
  usageType: string;
  instanceType: string;
  onDemandRate: number;
  spot: boolean;
}
// Public us-east-1 on-demand Linux rates; spot rows bill at 30-45% of them.
const EC2_TEMPLATES: CurTemplate[] = [
  ['p4d.24xlarge', 32.7726],
  ['p5.48xlarge', 55.04],
  ['g5.12xlarge', 5.672],
  ['g6.xlarge', 0.8048],
].flatMap(([type, rate]) => [
  { usageType: `BoxUsage:${type}`, instanceType: String(type), onDemandRate: Number(rate), spot: false },
  { usageType: `SpotUsage:${type}`, instanceType: String(type), onDemandRate: Number(rate), spot: true },
]);
const BEDROCK_TOKEN_RATES: Array<[string, number]> = [
  ['USE1-Claude4Sonnet-input-tokens', 0.003],
  ['USE1-Claude4Sonnet-output-tokens', 0.015],
  ['USE1-Claude4Sonnet-cache-read-input-token-count', 0.0003],
];
const CUR_ROWS_PER_HOUR = 1_000;
// Bedrock lines per hour: input, output and cache reads for a few apps.
const CUR_BEDROCK_SLOTS = 24;
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

const csvField = (v: string | number): string => {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

function lineItemId(rng: Rng): string {
  let id = '';
  for (let i = 0; i < 52; i++) id += ID_ALPHABET[Math.floor(rng() * ID_ALPHABET.length)];
  return id;
}

// A fleet bills like a real one: the same instance appears every hour it runs, so a day of an
// instance is up to 24 rows (the slot picks its type, spot or not, and team).
function ec2Fields(rng: Rng, slot: number, day: number): Array<string | number> {
  const t = EC2_TEMPLATES[slot % EC2_TEMPLATES.length] as CurTemplate;
  const hours = rng() < 0.8 ? 1 : round6(rng());
  // Spot prices move slowly: one price per instance and day, between 30% and 45% of on-demand.
  const rate = t.spot
    ? round6(t.onDemandRate * (0.3 + mulberry32(slot * 1_000 + day)() * 0.15))
    : t.onDemandRate;
  const instance = `i-0gen${String(slot).padStart(12, '0')}`;
  const tags = {
    'user:team': ['research', 'ml-platform', 'search'][slot % 3] as string,
    'user:Name': `gpu-${instance}`,
    // Utilization as a monitoring agent would tag it; every 25th instance idles.
    'user:gpu-util-avg-7d': slot % 25 === 0 ? '0.02' : String(0.35 + (slot % 13) / 20),
  };
  const desc = t.spot
    ? `$${rate} per Linux/UNIX Spot Instance-hour for ${t.instanceType} in US East (N. Virginia)`
    : `$${rate} per On Demand Linux ${t.instanceType} Instance Hour`;
  const op = t.spot ? 'RunInstances:SV001' : 'RunInstances';
  return [
    'AmazonEC2',
    t.usageType,
    op,
    pick(rng, ['us-east-1a', 'us-east-1b', 'us-east-1c']),
    instance,
    hours,
    'USD',
    rate,
    round6(hours * rate),
    desc,
    t.instanceType,
    'us-east-1',
    t.spot ? 'Spot' : 'OnDemand',
    'Hrs',
    t.onDemandRate,
    round6(hours * t.onDemandRate),
    JSON.stringify(tags),
  ];
}

function bedrockFields(rng: Rng, slot: number): Array<string | number> {
  const [usageType, rate] = BEDROCK_TOKEN_RATES[slot % BEDROCK_TOKEN_RATES.length] as [string, number];
  const thousands = round6(intBetween(rng, 1, 50_000) / 10);
  const arn = 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0';
  const tags = { 'user:team': 'support-ai', 'user:app': slot % 2 === 0 ? 'ticket-summarizer' : 'doc-qa' };
  const cost = round6(thousands * rate);
  return [
    'AmazonBedrock',
    usageType,
    'InvokeModelInference',
    '',
    arn,
    thousands,
    'USD',
    rate,
    cost,
    `Claude Sonnet 4 ${usageType.split('-').slice(2).join(' ')}, US East (N. Virginia)`,
    '',
    'us-east-1',
    'OnDemand',
    '1K tokens',
    rate,
    cost,
    JSON.stringify(tags),
  ];
}

function curRow(i: number, rng: Rng): string {
  const start = DAY0_MS + Math.floor(i / CUR_ROWS_PER_HOUR) * HOUR_MS;
  const [s, e] = [isoSeconds(start), isoSeconds(start + HOUR_MS)];
  const slot = i % CUR_ROWS_PER_HOUR;
  const day = Math.floor((start - DAY0_MS) / (24 * HOUR_MS));
  const usage = slot < CUR_BEDROCK_SLOTS ? bedrockFields(rng, slot) : ec2Fields(rng, slot, day);
  const head = [lineItemId(rng), `${s}/${e}`, 'Anniversary', '2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z'];
  const fields = [...head, '111122223333', '444455556666', 'Usage', s, e, ...usage];
  return fields.map(csvField).join(',') + '\n';
}

async function writeCur(sink: Sink, rows: number, rng: Rng): Promise<void> {
  await sink.write(CUR_COLUMNS.join(',') + '\n');
  for (let i = 0; i < rows; i++) await sink.write(curRow(i, rng));
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const sink = openSink(opts.out);
  const rng = mulberry32(opts.seed);
  if (opts.format === 'cur') await writeCur(sink, opts.rows, rng);
  else await writeOpenaiUsage(sink, opts.rows, rng);
  await sink.close();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
