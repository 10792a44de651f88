import type { CompressibleEndpoint } from '../../proxy/optimizers/compression/index.ts';
import {
  doc,
  int,
  jsonPayload,
  logOutput,
  markdownTable,
  paragraph,
  pick,
  pythonModule,
  pythonRepr,
  seeded,
  sentence,
  sloppy,
  type Random,
} from './text-gen.ts';

/**
 * Synthetic, chat-history-heavy conversations, seeded and rendered into all three wire formats.
 * Proportions aim at what real traffic looks like rather than at what compresses well: most tool
 * results are compact JSON, Python reprs or logs (which lossless steps cannot shrink), documents
 * are re-pasted in only some conversations and often edited, system prompts are mostly clean.
 */

export interface ToolCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
}

export type Turn =
  | { kind: 'user' | 'assistant'; text: string }
  | { kind: 'tools'; text?: string; calls: ToolCall[]; results: string[] };

export interface Conversation {
  scenario: string;
  system: string;
  tools: Array<{ name: string; description: string; schema: Record<string, unknown> }>;
  turns: Turn[];
}

export const SCENARIOS = ['agent-trace', 'doc-qa', 'support-thread', 'code-review'] as const;
export type Scenario = (typeof SCENARIOS)[number];

function systemPrompt(random: Random): string {
  const prompt = [`You are ${pick(random, ['Atlas', 'Nova', 'Sage'])}, an assistant.`, paragraph(random, 5)];
  prompt.push(Array.from({ length: 5 }, () => `- ${sentence(random)}`).join('\n'));
  // Template engines often leave blank-line runs where optional sections were empty.
  return prompt.join(random() < 0.3 ? '\n\n\n\n' : '\n\n');
}

/** Tool schemas as Pydantic or zod-to-json-schema emit them: titles, $schema, long descriptions. */
function toolDefinitions(random: Random, count: number): Conversation['tools'] {
  return Array.from({ length: count }, (_, index) => {
    const name = `${pick(random, ['search', 'get', 'list', 'update'])}_${pick(random, ['orders', 'tickets', 'files', 'users'])}_${index}`;
    const zod = random() < 0.5;
    const property = (key: string, type: string) => ({
      ...(zod ? {} : { title: key.replace(/_/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase()) }),
      type,
      description: `${sentence(random)}${random() < 0.4 ? '\n    ' : ' '}${sentence(random)}`,
    });
    const schema: Record<string, unknown> = {
      ...(zod ? { $schema: 'http://json-schema.org/draft-07/schema#' } : { title: name }),
      type: 'object',
      properties: {
        query: property('query', 'string'),
        limit: property('limit', 'integer'),
        page_token: property('page_token', 'string'),
      },
      required: ['query'],
      ...(zod ? { additionalProperties: false } : {}),
    };
    return {
      name,
      description: `${paragraph(random, 2)}\n\n${random() < 0.5 ? '  ' : ''}${sentence(random)}`,
      schema,
    };
  });
}

function toolResult(random: Random, files: string[]): string {
  const roll = random();
  if (roll < 0.3) return jsonPayload(random, int(random, 2, 12), 'compact');
  if (roll < 0.55) return jsonPayload(random, int(random, 2, 12), 'pretty');
  if (roll < 0.7) return pythonRepr(random, int(random, 2, 8));
  if (roll < 0.85) return logOutput(random, int(random, 5, 30));
  // Agents re-read files they already read; about a third of file reads here are repeats.
  if (files.length > 0 && random() < 0.35) return pick(random, files);
  const file = pythonModule(random, int(random, 2, 6));
  files.push(file);
  return file;
}

function agentTrace(random: Random, conversation: Conversation): void {
  conversation.tools = toolDefinitions(random, int(random, 4, 8));
  conversation.turns.push({ kind: 'user', text: `${paragraph(random, 3)}\n\n${sentence(random)}` });
  const files: string[] = [];
  for (let step = int(random, 10, 28); step > 0; step -= 1) {
    const calls = Array.from({ length: random() < 0.2 ? 2 : 1 }, (_, i) => ({
      id: `call_${step}_${i}_${int(random, 1000, 9999)}`,
      name: pick(random, conversation.tools).name,
      args: { query: sentence(random).slice(0, 40), limit: int(random, 5, 50) },
    }));
    const text = random() < 0.5 ? sentence(random) : undefined;
    conversation.turns.push({
      kind: 'tools',
      ...(text ? { text } : {}),
      calls,
      results: calls.map(() => toolResult(random, files)),
    });
  }
}

function docQa(random: Random, conversation: Conversation): void {
  const original = doc(random, int(random, 4, 10));
  conversation.turns.push({
    kind: 'user',
    text: `Here is our document:\n\n${original}\n\n${sentence(random)}`,
  });
  const repaste = random();
  for (let round = int(random, 4, 10); round > 0; round -= 1) {
    conversation.turns.push({
      kind: 'assistant',
      text: [paragraph(random), paragraph(random), paragraph(random)].join('\n\n'),
    });
    let question = sentence(random);
    if (round === 2 && repaste < 0.35)
      question = `Here it is again for reference:\n\n${original}\n\n${question}`;
    if (round === 2 && repaste >= 0.35 && repaste < 0.6) {
      const edited = original.replace(/\n\n([^#\n][^\n]+)\n\n/, `\n\n${paragraph(random)}\n\n`);
      question = `I updated one section:\n\n${edited}\n\n${question}`;
    }
    conversation.turns.push({ kind: 'user', text: question });
  }
}

function supportThread(random: Random, conversation: Conversation): void {
  const signature = `--\n${pick(random, ['Dana', 'Lee', 'Sam'])} | Customer Success\nPhone: +1 555 0100`;
  let previous = '';
  for (let message = int(random, 16, 40); message > 0; message -= 1) {
    const customer = message % 2 === 0;
    let text = [paragraph(random), paragraph(random)].join('\n\n');
    if (customer && previous && random() < 0.4)
      text += `\n\nOn Tue, support wrote:\n${previous
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n')}`;
    if (!customer) text += `\n\n${signature}`;
    if (random() < 0.3) text = sloppy(random, text);
    conversation.turns.push({ kind: customer ? 'user' : 'assistant', text });
    previous = text;
  }
  if (conversation.turns[0]?.kind !== 'user')
    conversation.turns.unshift({ kind: 'user', text: paragraph(random) });
  if (conversation.turns.at(-1)?.kind !== 'user')
    conversation.turns.push({ kind: 'user', text: sentence(random) });
}

function codeReview(random: Random, conversation: Conversation): void {
  let code = pythonModule(random, int(random, 4, 9));
  conversation.turns.push({
    kind: 'user',
    text: `Please review this module:\n\n\`\`\`python\n${code}\`\`\`\n\n${sentence(random)}`,
  });
  for (let round = int(random, 3, 7); round > 0; round -= 1) {
    const table = random() < 0.4 ? `\n\n${markdownTable(random, int(random, 3, 6))}` : '';
    const snippet = `\`\`\`python\n${pythonModule(random, 1)}\`\`\``;
    conversation.turns.push({
      kind: 'assistant',
      text: `${paragraph(random)}\n\n${snippet}\n\n${paragraph(random)}${table}`,
    });
    code = code.replace(/limit=\d+/, `limit=${int(random, 1, 500)}`);
    conversation.turns.push({
      kind: 'user',
      text: `Updated version:\n\n\`\`\`python\n${code}\`\`\`\n\n${sentence(random)}`,
    });
  }
}

const BUILDERS: Record<Scenario, (random: Random, conversation: Conversation) => void> = {
  'agent-trace': agentTrace,
  'doc-qa': docQa,
  'support-thread': supportThread,
  'code-review': codeReview,
};

export function generate(scenario: Scenario, seed: number): Conversation {
  const random = seeded(seed);
  const conversation: Conversation = { scenario, system: systemPrompt(random), tools: [], turns: [] };
  BUILDERS[scenario](random, conversation);
  return conversation;
}

export { render } from './render.ts';
export type { CompressibleEndpoint };
