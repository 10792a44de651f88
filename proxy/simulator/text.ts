/**
 * Plausible English filler for simulated answers: sentences assembled from a
 * small built-in phrase list, so demo transcripts read like an assistant
 * talking rather than lorem ipsum. Text is returned as token-sized pieces
 * (a word with its leading space), which is what the streams send and what
 * the usage counts.
 */
import type { Rng } from './random.ts';

const OPENERS = [
  '',
  '',
  '',
  '',
  'In most cases,',
  'Based on the details you shared,',
  'To summarize,',
  'As a next step,',
  'In practice,',
  'For example,',
  'Overall,',
  'At a high level,',
  'If possible,',
  'Going forward,',
  'In this case,',
  'Importantly,',
  'That said,',
];
/** Openers that make sense at the very start of an answer. */
const FIRST_OPENERS = [
  '',
  '',
  '',
  'In most cases,',
  'Based on the details you shared,',
  'At a high level,',
  'In this case,',
];
const SUBJECTS = [
  'the team',
  'your account',
  'the report',
  'this approach',
  'the current plan',
  'the customer',
  'the new workflow',
  'the system',
  'the proposal',
  'our analysis',
  'the latest update',
  'the support team',
  'this change',
  'the dashboard',
  'the integration',
  'the budget',
  'the documentation',
  'the first option',
  'the release schedule',
  'the quarterly review',
];
const VERBS = [
  'should review',
  'can improve',
  'will depend on',
  'helps reduce',
  'may affect',
  'needs to confirm',
  'could simplify',
  'is likely to change',
  'highlights',
  'does not replace',
  'makes it easier to track',
  'tends to increase',
  'is designed to support',
  'should clarify',
  'will streamline',
  'can prevent',
  'directly affects',
  'builds on',
  'requires',
  'points to',
];
const OBJECTS = [
  'the overall cost',
  'the next release',
  'response times',
  'the current settings',
  'several open questions',
  'the main risks',
  'a clear owner for each task',
  'the existing process',
  'long-term reliability',
  'the monthly usage',
  'the original request',
  'the remaining steps',
  'customer satisfaction',
  'the error rate',
  'the data pipeline',
  'the billing details',
  'a short follow-up',
  'the key assumptions',
  'the weekly metrics',
  'the refund policy',
];
const TAILS = [
  '',
  '',
  '',
  'over time',
  'before the deadline',
  'for most users',
  'in the long run',
  'without extra effort',
  'across all regions',
  'within a few days',
  'as expected',
  'once the changes are live',
  'for the upcoming quarter',
  'in a predictable way',
  'when traffic grows',
];
/** Very short answers read as labels, the way classifiers and routers reply. */
const LABELS = [
  'Positive',
  'Negative',
  'Neutral',
  'Billing',
  'Technical issue',
  'Account access',
  'Refund request',
  'Yes',
  'No',
  'Spam',
  'Shipping',
  'Feature request',
];

const SHORT_ANSWER_TOKENS = 3;

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function sentence(rng: Rng, first = false): string {
  const opener = rng.pick(first ? FIRST_OPENERS : OPENERS);
  const subject = rng.pick(SUBJECTS);
  const words = [opener ? `${opener} ${subject}` : capitalize(subject), rng.pick(VERBS), rng.pick(OBJECTS)];
  const tail = rng.pick(TAILS);
  if (tail) words.push(tail);
  return `${words.join(' ')}.`;
}

/** A short phrase (for tool arguments and demo prompts). */
export function phrase(rng: Rng): string {
  return `${rng.pick(VERBS)} ${rng.pick(OBJECTS)}`;
}

function sentencePieces(rng: Rng, first: boolean, paragraphBreak: boolean): string[] {
  const words = sentence(rng, first).split(' ');
  return words.map((word, index) => {
    if (index > 0) return ` ${word}`;
    if (first) return word;
    return paragraphBreak ? `\n\n${word}` : ` ${word}`;
  });
}

/**
 * Whole sentences adding up to at least `targetTokens` pieces, so an answer
 * that stops naturally ends on a full stop. Callers cut the result when a
 * max_tokens cap is lower.
 */
export function answerPieces(rng: Rng, targetTokens: number): string[] {
  if (targetTokens <= SHORT_ANSWER_TOKENS) return rng.pick(LABELS).split(/(?= )/);
  const pieces: string[] = [];
  let sentencesInParagraph = 0;
  let paragraphLength = rng.int(3, 5);
  while (pieces.length < targetTokens) {
    const breakHere = sentencesInParagraph >= paragraphLength;
    if (breakHere) {
      sentencesInParagraph = 0;
      paragraphLength = rng.int(3, 5);
    }
    pieces.push(...sentencePieces(rng, pieces.length === 0, breakHere));
    sentencesInParagraph++;
  }
  return pieces;
}

/** Groups pieces into stream chunks of a few tokens each, as providers flush them. */
export function chunkPieces(
  pieces: readonly string[],
  rng: Rng,
  maxPerChunk: number,
): Array<{ text: string; tokens: number }> {
  const chunks: Array<{ text: string; tokens: number }> = [];
  for (let index = 0; index < pieces.length;) {
    const tokens = Math.min(rng.int(1, maxPerChunk), pieces.length - index);
    chunks.push({ text: pieces.slice(index, index + tokens).join(''), tokens });
    index += tokens;
  }
  return chunks;
}
