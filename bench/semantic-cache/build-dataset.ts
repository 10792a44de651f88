/**
 * Builds the labeled duplicate-question set from questions.jsonl.
 *
 * questions.jsonl was written for this project (no public paraphrase corpus with clear terms is
 * on a package registry): each line is one intent of support / assistant traffic with its question,
 * paraphrases (`dups`, same meaning) and hard negatives (`negs`: nearly the same words, a different
 * answer). From it come labeled pairs and a request stream for the repetitive-workload simulation.
 *
 * Run directly to write the pairs to bench/results/semantic-cache-pairs.jsonl.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../../common/seeded-random.ts';

export interface IntentGroup {
  id: string;
  q: string;
  dups: string[];
  negs: string[];
}

export type PairKind = 'duplicate' | 'hard-negative' | 'other-intent';

export interface LabeledPair {
  a: string;
  b: string;
  duplicate: boolean;
  kind: PairKind;
}

export interface WorkloadRequest {
  text: string;
  /** Requests with the same intent may share an answer; different intents must not. */
  intent: string;
}

const here = dirname(fileURLToPath(import.meta.url));

export function loadGroups(path = join(here, 'questions.jsonl')): IntentGroup[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as IntentGroup);
}

export { seededRandom };

export function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Duplicates: every pair of phrasings within an intent. Hard negatives: each negative against every
 * phrasing of its intent. Other-intent negatives: each question against three random other intents.
 */
export function buildPairs(groups: IntentGroup[], seed = 7): LabeledPair[] {
  const random = seededRandom(seed);
  const pairs: LabeledPair[] = [];
  for (const group of groups) {
    const phrasings = [group.q, ...group.dups];
    for (let i = 0; i < phrasings.length; i++) {
      for (let j = i + 1; j < phrasings.length; j++) {
        pairs.push({ a: phrasings[i]!, b: phrasings[j]!, duplicate: true, kind: 'duplicate' });
      }
    }
    for (const neg of group.negs) {
      for (const p of phrasings) pairs.push({ a: p, b: neg, duplicate: false, kind: 'hard-negative' });
    }
  }
  for (const group of groups) {
    const others = shuffle(
      groups.filter((g) => g.id !== group.id),
      random,
    ).slice(0, 3);
    for (const other of others)
      pairs.push({ a: group.q, b: other.q, duplicate: false, kind: 'other-intent' });
  }
  return pairs;
}

/**
 * A stream in which each intent's phrasings arrive at random points, interleaved with the hard
 * negatives (each its own intent). No text repeats verbatim: exact repeats are the exact cache's job.
 */
export function buildWorkload(groups: IntentGroup[], seed = 11): WorkloadRequest[] {
  const requests: WorkloadRequest[] = [];
  for (const group of groups) {
    for (const text of [group.q, ...group.dups]) requests.push({ text, intent: group.id });
    group.negs.forEach((text, i) => requests.push({ text, intent: `${group.id}#neg${i}` }));
  }
  return shuffle(requests, seededRandom(seed));
}

function main(): void {
  const groups = loadGroups();
  const pairs = buildPairs(groups);
  const out = join(here, '..', 'results', 'semantic-cache-pairs.jsonl');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, pairs.map((p) => JSON.stringify(p)).join('\n') + '\n');
  const count = (kind: PairKind): number => pairs.filter((p) => p.kind === kind).length;
  console.log(
    `${groups.length} intents -> ${pairs.length} pairs (${count('duplicate')} duplicate, ` +
      `${count('hard-negative')} hard negative, ${count('other-intent')} other intent) in ${out}`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
