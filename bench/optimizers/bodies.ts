// Request bodies for the optimizer benchmark. Each body is a sequence: `next(i)` gives the i-th
// request's JSON, so a variant that needs every request to differ (a cache miss) gets a unique one.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { estimatePromptTokens } from '../../proxy/optimizers/tokens.ts';
import { doc, jsonPayload, paragraph, pick, seeded, type Random } from '../compression/text-gen.ts';

type Json = Record<string, unknown>;

export interface Body {
  name: string;
  next: (i: number) => string;
  /** Prompt tokens of the first request, as the proxy estimates them. */
  tokens: number;
}

const MODEL = 'gpt-4o';

function body(name: string, make: (i: number) => Json): Body {
  return {
    name,
    next: (i) => JSON.stringify(make(i)),
    tokens: estimatePromptTokens('chat', make(0)),
  };
}

function chat(messages: Json[], extra: Json = {}): Json {
  return { model: MODEL, messages, max_tokens: 32, temperature: 0, ...extra };
}

const SYSTEM = 'You are a terse assistant.';

/** One short question, the same every time. */
export const short = body('short', () =>
  chat([
    { role: 'system', content: SYSTEM },
    { role: 'user', content: 'Say something about foxes.' },
  ]),
);

// Questions about unrelated things, so that none is served from the semantic cache: three
// words drawn from the embedding model's own vocabulary (18k whole words), under a varied ask.
const WORDS = (() => {
  const file = join(import.meta.dirname, '../../.models/all-MiniLM-L6-v2/tokenizer.json');
  if (!existsSync(file))
    return 'volcano glacier violin mortgage sourdough bicycle telescope chess'.split(' ');
  const vocab = (JSON.parse(readFileSync(file, 'utf8')) as { model: { vocab: Json } }).model.vocab;
  return Object.keys(vocab).filter((word) => /^[a-z]{5,}$/.test(word));
})();
const ASKS = [
  'What is the history of',
  'How would a beginner learn about',
  'Give me three facts about',
  'Why is it hard to understand',
  'What tools do I need for',
  'Explain the economics of',
  'What are common myths about',
  'Write a short poem about',
];

/** A question unlike the others around it, the same for the same `i`. */
export function uniqueQuestion(i: number): string {
  const random: Random = seeded(i * 7919 + 13);
  return `${pick(random, ASKS)} ${pick(random, WORDS)}, ${pick(random, WORDS)} and ${pick(random, WORDS)}?`;
}

/** Short, with a question that differs on every request: misses every cache. */
export const shortUnique = body('short-unique', (i) =>
  chat([
    { role: 'system', content: SYSTEM },
    { role: 'user', content: uniqueQuestion(i) },
  ]),
);

function history(): Json[] {
  const random = seeded(42);
  const document = doc(random, 6);
  const system = `You are Atlas, a support engineer's assistant.\n\n\n\n${paragraph(random, 5)}\n\n\n`;
  const result = jsonPayload(random, 20, 'pretty');
  const call = {
    id: 'call_1',
    type: 'function',
    function: { name: 'get_orders', arguments: '{"limit":20}' },
  };
  return [
    { role: 'system', content: system },
    { role: 'user', content: `Here is our incident runbook:\n\n${document}\n\nWhat should I check first?` },
    { role: 'assistant', content: paragraph(random, 4) },
    { role: 'user', content: 'Pull the recent orders for the affected account.' },
    { role: 'assistant', content: null, tool_calls: [call] },
    { role: 'tool', tool_call_id: 'call_1', content: result },
    { role: 'assistant', content: paragraph(random, 5) },
    {
      role: 'user',
      content: `Pasting the runbook again so you have it:\n\n${document}\n\n${paragraph(random, 2)}`,
    },
    { role: 'assistant', content: paragraph(random, 4) },
  ];
}

const HISTORY = history();

/** A long chat history (~3.5k tokens), the same every time. */
export const long = body('long', () =>
  chat([...HISTORY, { role: 'user', content: 'So what is the root cause, in one sentence?' }]),
);

/** The long history, with a final question that differs on every request. */
export const longUnique = body('long-unique', (i) =>
  chat([...HISTORY, { role: 'user', content: uniqueQuestion(i) }]),
);

function tool(name: string, random: Random): Json {
  return {
    type: 'function',
    function: {
      name,
      description: paragraph(random, 1),
      parameters: {
        type: 'object',
        properties: { id: { type: 'string', description: 'Identifier.' }, limit: { type: 'integer' } },
        required: ['id'],
      },
    },
  };
}

const TOOL_NAMES = ['search', 'get_order', 'refund', 'escalate', 'lookup_user', 'send_email'];
TOOL_NAMES.push('list_invoices', 'create_ticket', 'close_ticket', 'add_note');
const TOOLS = (() => {
  const random = seeded(7);
  // Unsorted on purpose: a client building its tool list from a map sends any order.
  return [...TOOL_NAMES].reverse().map((name) => tool(name, random));
})();

/** The short question with 10 tool definitions in unsorted order. */
export const tools = body('short+10 tools', () =>
  chat(
    [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: 'Say something about foxes.' },
    ],
    { tools: TOOLS },
  ),
);

export const STORED_QUESTION = 'How do I reset my password?';
export const PARAPHRASE = 'I forgot my password, how can I reset it?';

/** The first request stores a question; every later one asks it again in other words. */
export const paraphrase = body('paraphrase', (i) =>
  chat([
    { role: 'system', content: SYSTEM },
    { role: 'user', content: i === 0 ? STORED_QUESTION : PARAPHRASE },
  ]),
);
