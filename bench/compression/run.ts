/**
 * Prompt compression benchmark: `node bench/compression/run.ts [conversations-per-scenario]`.
 * Prints prompt-token reduction per scenario and format for lossless alone and for lossless plus
 * lossy (drop and summarize), and compression time per request (p50/p99, microseconds).
 */
import {
  compressRequest,
  type CompressibleEndpoint,
  type CompressionOptions,
} from '../../proxy/optimizers/compression/index.ts';
import { estimatePromptTokens } from '../../proxy/optimizers/tokens.ts';
import { generate, render, SCENARIOS } from './conversations.ts';

const ENDPOINTS: CompressibleEndpoint[] = ['chat', 'messages', 'responses'];
const BUDGET = 4000;
const PER_SCENARIO = Number(process.argv[2] ?? 12);

const CONFIGS: Record<string, CompressionOptions> = {
  lossless: {
    lossless: true,
    lossy: { enabled: false, budgetTokens: BUDGET, keepRecentTurns: 4, mode: 'drop' },
  },
  'lossless+drop': {
    lossless: true,
    lossy: { enabled: true, budgetTokens: BUDGET, keepRecentTurns: 4, mode: 'drop' },
  },
  'lossless+summarize': {
    lossless: true,
    lossy: { enabled: true, budgetTokens: BUDGET, keepRecentTurns: 4, mode: 'summarize' },
  },
};

interface Tally {
  before: number;
  after: number;
  micros: number[];
}

function tally(): Tally {
  return { before: 0, after: 0, micros: [] };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function reduction(t: Tally): string {
  return `${(((t.before - t.after) / t.before) * 100).toFixed(1)}%`.padStart(7);
}

function measure(
  config: CompressionOptions,
  endpoint: CompressibleEndpoint,
  body: Record<string, unknown>,
  into: Tally[],
) {
  const started = process.hrtime.bigint();
  const result = compressRequest(endpoint, body, config);
  const micros = Number(process.hrtime.bigint() - started) / 1000;
  for (const t of into) {
    t.before += result.tokensBefore;
    t.after += result.tokensAfter;
    t.micros.push(micros);
  }
}

/** One bare token estimate per request: the floor, since a result carries tokensBefore and tokensAfter. */
const estimateMicros: number[] = [];

function measureEstimate(endpoint: CompressibleEndpoint, body: Record<string, unknown>): void {
  const started = process.hrtime.bigint();
  estimatePromptTokens(endpoint, body);
  estimateMicros.push(Number(process.hrtime.bigint() - started) / 1000);
}

function main(): void {
  const rows = new Map<string, Record<string, Tally>>();
  const overall: Record<string, Tally> = Object.fromEntries(
    Object.keys(CONFIGS).map((name) => [name, tally()]),
  );
  // Warm the tokenizer and JIT so the first scenario's timings are not all start-up cost.
  compressRequest('chat', render(generate('agent-trace', 1), 'chat'), CONFIGS['lossless']!);
  for (const scenario of SCENARIOS) {
    for (const endpoint of ENDPOINTS) {
      const row = Object.fromEntries(Object.keys(CONFIGS).map((name) => [name, tally()]));
      rows.set(`${scenario} / ${endpoint}`, row);
      for (let seed = 1; seed <= PER_SCENARIO; seed += 1) {
        const body = render(generate(scenario, seed * 7919), endpoint);
        for (const [name, config] of Object.entries(CONFIGS))
          measure(config, endpoint, body, [row[name]!, overall[name]!]);
        measureEstimate(endpoint, body);
      }
    }
  }
  print(rows, overall);
}

function print(rows: Map<string, Record<string, Tally>>, overall: Record<string, Tally>): void {
  const names = Object.keys(CONFIGS);
  console.log(
    `Prompt compression benchmark: ${PER_SCENARIO} conversations per scenario and format, lossy budget ${BUDGET} tokens, keepRecentTurns 4`,
  );
  console.log(
    `${'scenario / format'.padEnd(28)}${'avg tokens'.padStart(11)}${names.map((n) => n.padStart(20)).join('')}`,
  );
  for (const [label, row] of rows) {
    const first = row[names[0]!]!;
    const average = Math.round(first.before / first.micros.length);
    console.log(
      `${label.padEnd(28)}${String(average).padStart(11)}${names.map((n) => reduction(row[n]!).padStart(20)).join('')}`,
    );
  }
  const total = overall[names[0]!]!;
  console.log(
    `${'OVERALL'.padEnd(28)}${String(Math.round(total.before / total.micros.length)).padStart(11)}${names.map((n) => reduction(overall[n]!).padStart(20)).join('')}`,
  );
  console.log('\nCompression time per request (µs):');
  for (const name of names) {
    const micros = overall[name]!.micros;
    console.log(
      `  ${name.padEnd(20)} p50 ${percentile(micros, 50).toFixed(0).padStart(7)}   p99 ${percentile(micros, 99).toFixed(0).padStart(7)}   (n=${micros.length})`,
    );
  }
  console.log(
    `  ${'estimate only'.padEnd(20)} p50 ${percentile(estimateMicros, 50).toFixed(0).padStart(7)}   p99 ${percentile(estimateMicros, 99).toFixed(0).padStart(7)}   (one estimatePromptTokens, for reference)`,
  );
}

main();
