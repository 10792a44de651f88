/**
 * Seeded building blocks for the synthetic conversations: prose, documents, code, tool payloads.
 * Everything derives from one PRNG so a seed always yields the same corpus.
 */
import { seededRandom } from '../../common/seeded-random.ts';

export type Random = () => number;

/** mulberry32, the generator every seeded simulation here shares. */
export const seeded: (seed: number) => Random = seededRandom;

export function int(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

const WORDS = (
  'the a customer order invoice account team service plan report revenue region deal contract ' +
  'renewal support ticket issue error deploy release build pipeline database query latency cache ' +
  'user request response policy refund billing payment schedule meeting review change update ' +
  'feature config value limit quota region cluster node pod memory timeout retry network ' +
  'we they it this that should would could will can may must not also only still already ' +
  'after before because while when if since although until unless however therefore ' +
  'increase reduce check confirm verify migrate escalate resolve investigate document approve ' +
  'quickly carefully recently currently usually clearly roughly exactly manually automatically ' +
  'new old large small critical minor internal external enterprise monthly quarterly annual ' +
  'in on for with from to of by about across into over under between during within'
).split(' ');

export function sentence(random: Random): string {
  const words = Array.from({ length: int(random, 7, 22) }, () => pick(random, WORDS));
  const text = words.join(' ');
  return `${text[0]!.toUpperCase()}${text.slice(1)}${pick(random, ['.', '.', '.', '?', '!'])}`;
}

export function paragraph(random: Random, sentences = int(random, 2, 6)): string {
  return Array.from({ length: sentences }, () => sentence(random)).join(' ');
}

/** A pasted document: a title, sections with headings, paragraphs and the odd bullet list. */
export function doc(random: Random, sections: number): string {
  const parts = [`# ${sentence(random).slice(0, 40)}`];
  for (let section = 0; section < sections; section += 1) {
    parts.push(`## Section ${section + 1}`);
    for (let count = int(random, 1, 3); count > 0; count -= 1) parts.push(paragraph(random));
    if (random() < 0.3) parts.push(Array.from({ length: 3 }, () => `- ${sentence(random)}`).join('\n'));
  }
  return parts.join('\n\n');
}

/** Email-client artefacts: trailing spaces, runs of blank lines, double spaces after full stops. */
export function sloppy(random: Random, text: string): string {
  return text
    .split('\n')
    .map((line) => (random() < 0.4 ? `${line}   ` : line))
    .join('\n')
    .replace(/\n\n/g, () => (random() < 0.5 ? '\n\n\n\n' : '\n\n'))
    .replace(/\. /g, () => (random() < 0.3 ? '.  ' : '. '));
}

export function pythonModule(random: Random, functions: number): string {
  const blocks = ['import json', 'from dataclasses import dataclass', ''];
  for (let index = 0; index < functions; index += 1) {
    const name = `${pick(random, ['load', 'parse', 'sync', 'check', 'merge'])}_${pick(random, WORDS)}_${index}`;
    blocks.push(
      `def ${name}(records, limit=${int(random, 1, 500)}):`,
      `    """${sentence(random)}"""`,
      '    result = []',
      '    for record in records:',
      `        if record.get("${pick(random, WORDS)}")  and len(result) < limit:`,
      '            result.append(record)',
      '    return result',
      '',
      '',
    );
  }
  return blocks.join('\n');
}

/** A realistic API payload: nested objects, ids, floats that end in .0, a big integer id. */
export function record(random: Random, index: number): Record<string, unknown> {
  return {
    id: `rec_${int(random, 100000, 999999)}`,
    sequence: index,
    status: pick(random, ['open', 'pending', 'resolved', 'closed']),
    amount: Math.round(random() * 100000) / 100,
    owner: { name: `${pick(random, WORDS)} ${pick(random, WORDS)}`, team: pick(random, WORDS) },
    tags: Array.from({ length: int(random, 0, 3) }, () => pick(random, WORDS)),
    note: sentence(random),
  };
}

/** JSON text as tool frameworks emit it: pretty (indent 2 or 4) or compact; sometimes with 1.0 and big ids. */
export function jsonPayload(random: Random, records: number, style: 'pretty' | 'compact'): string {
  const payload = { count: records, results: Array.from({ length: records }, (_, i) => record(random, i)) };
  const text = JSON.stringify(payload, null, style === 'pretty' ? pick(random, [2, 2, 4]) : undefined);
  // Numbers JSON.parse would alter; the minifier must keep them byte-for-byte.
  return text
    .replace(/"sequence": ?0,/, (match) => match.replace('0', '90071992547409931'))
    .replace(/\.5\b/, '.50');
}

/** Python repr of a dict: what many agent frameworks send when they str() a tool result. Not JSON. */
export function pythonRepr(random: Random, records: number): string {
  return JSON.stringify(Array.from({ length: records }, (_, i) => record(random, i)))
    .replace(/"/g, "'")
    .replace(/\btrue\b/g, 'True');
}

export function logOutput(random: Random, lines: number): string {
  return Array.from({ length: lines }, (_, i) => {
    const level = pick(random, ['INFO ', 'INFO ', 'WARN ', 'ERROR']);
    return `2026-03-${String(int(random, 1, 28)).padStart(2, '0')}T10:${String(i % 60).padStart(2, '0')}:00Z  ${level}  ${pick(random, WORDS)}-svc  ${sentence(random)}`;
  }).join('\n');
}

export function markdownTable(random: Random, rows: number): string {
  const lines = ['| Item | Owner | Status |', '| --- | --- | --- |'];
  for (let row = 0; row < rows; row += 1) {
    lines.push(
      `| ${pick(random, WORDS)} | ${pick(random, WORDS)} | ${pick(random, ['done', 'open', 'blocked'])} |`,
    );
  }
  return lines.join('\n');
}
