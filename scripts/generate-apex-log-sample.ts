// Writes resources/samples/apex-request-log.jsonl: 14 days of Apex request log with planted waste whose
// figures resources/SAMPLES.md works out by hand. Deterministic: same output on every run.
//
//   node scripts/generate-apex-log-sample.ts [--out FILE]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { costNanos } from '../pricing/cost.ts';
import { loadPriceBook } from '../pricing/catalog.ts';

const DAY0_MS = Date.UTC(2026, 9, 1);
const DAYS = 14;
const DAY_MS = 86_400_000;

interface Workload {
  provider: string;
  model: string;
  keyId: string;
  project: string;
  inputTokens: number;
  outputTokens: number;
  prompts: string[];
  /** How many times each prompt is sent. */
  repeats: number;
}

const FAQ = [
  'How do I reset my password?',
  'What are your opening hours?',
  'How can I change the email address on my account?',
  'Do you ship to Canada?',
  'How do I cancel my subscription?',
  'Where can I download my invoices?',
  'Can I change my delivery address after ordering?',
  'What payment methods do you accept?',
  'How long does a refund take?',
  'Is there a student discount?',
];

// Each topic has its own wording; variants of one topic differ in a single word, so they are
// near-duplicates of each other (Jaccard of word trigrams about 0.86) and not of other topics.
const SEARCH_TOPICS: Record<string, string> = {
  'on-call rotation':
    'who is paged first at night, how handovers happen on Mondays, and where the escalation ladder for database outages is written down',
  'deploy pipeline':
    'which stages run before production, how canary traffic is shifted, and what rolls a release back automatically when error budgets burn',
  'feature flags':
    'how flags are created, which service evaluates them at request time, and when stale flags must be deleted from the code',
  'incident reviews':
    'what a blameless write-up contains, who schedules the meeting, and how action items are tracked until they are closed',
  'access requests':
    'how engineers ask for production credentials, who approves them, and how long temporary grants last before expiry',
  'cost dashboards':
    'where monthly cloud spend is charted per team, how tags map spend to owners, and which alerts fire on budget overruns',
  'data retention':
    'how long customer logs are kept, which jobs purge expired records, and what legal holds override deletion',
  'load testing':
    'which tool replays production traffic, how big the staging cluster must be, and what latency targets a test has to meet',
};
const SEARCH_WORDS = ['follow-up', 'further', 'next', 'additional', 'related'];
const searchPrompt = (topic: string, detail: string, word: string): string =>
  `Summarize for a new engineer our documents about ${topic}: ${detail}. Finish with one ${word} question.`;

const WORKLOADS: Workload[] = [
  {
    provider: 'openai',
    model: 'gpt-4o-mini',
    keyId: 'key_faq_bot',
    project: 'helpdesk',
    inputTokens: 2_000,
    outputTokens: 500,
    prompts: FAQ,
    repeats: 30,
  },
  {
    provider: 'openai',
    model: 'gpt-4o-mini',
    keyId: 'key_search_assist',
    project: 'search',
    inputTokens: 1_500,
    outputTokens: 300,
    prompts: Object.entries(SEARCH_TOPICS).flatMap(([topic, detail]) =>
      SEARCH_WORDS.map((word) => searchPrompt(topic, detail, word)),
    ),
    repeats: 1,
  },
  {
    provider: 'openai',
    model: 'gpt-4o',
    keyId: 'key_classifier',
    project: 'triage',
    inputTokens: 120,
    outputTokens: 5,
    prompts: Array.from(
      { length: 500 },
      (_, i) => `Classify ticket #${10_000 + i} as billing, bug or question.`,
    ),
    repeats: 1,
  },
  {
    provider: 'anthropic',
    model: 'claude-sonnet-4-20250514',
    keyId: 'key_contract_review',
    project: 'legal',
    inputTokens: 24_000,
    outputTokens: 800,
    prompts: Array.from(
      { length: 40 },
      (_, i) =>
        `Review contract ${i + 1} (full text attached) and list every clause that differs from our standard terms.`,
    ),
    repeats: 1,
  },
];

// Every other repeat of an FAQ varies case and spacing, which the duplicate finding normalizes away.
function variant(prompt: string, n: number): string {
  return n % 2 === 0 ? prompt : `  ${prompt.toLowerCase()}  `;
}

const { values } = parseArgs({
  options: { out: { type: 'string', default: 'resources/samples/apex-request-log.jsonl' } },
});
const prices = await loadPriceBook();
const lines: string[] = [];
let sequence = 0;
for (const w of WORKLOADS) {
  const price = prices.lookup(w.provider, w.model);
  if (!price) throw new Error(`no price for ${w.model}`);
  const usage = {
    inputTokens: w.inputTokens,
    outputTokens: w.outputTokens,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    reasoningTokens: 0,
  };
  const cost = costNanos(usage, price.price);
  const total = w.prompts.length * w.repeats;
  for (let n = 0; n < total; n++) {
    const prompt = w.prompts[n % w.prompts.length] as string;
    const ts = DAY0_MS + Math.floor((n * DAYS * DAY_MS) / total) + 1_000 * (sequence % 60);
    sequence++;
    lines.push(
      JSON.stringify({
        object: 'apex.request',
        id: `req_${String(sequence).padStart(6, '0')}`,
        ts,
        keyId: w.keyId,
        project: w.project,
        api: w.provider === 'anthropic' ? 'anthropic' : 'openai',
        endpoint: w.provider === 'anthropic' ? 'messages' : 'chat',
        provider: w.provider,
        modelRequested: w.model,
        modelServed: w.model,
        streamed: false,
        ...usage,
        costNanos: cost,
        priceSource: price.source,
        latencyUs: 850_000,
        ttftUs: null,
        status: 200,
        errorClass: null,
        prompt: w.repeats > 1 ? variant(prompt, Math.floor(n / w.prompts.length)) : prompt,
      }),
    );
  }
}
writeFileSync(values.out, `${lines.join('\n')}\n`);
console.log(`wrote ${lines.length} requests to ${values.out}`);
