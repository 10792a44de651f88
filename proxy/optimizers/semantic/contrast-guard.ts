/**
 * Sentence embeddings are close to bags of words: "convert a string to a number" and "convert a
 * number to a string" score 0.996, "turn on 2FA" and "turn off 2FA" 0.90. No threshold separates
 * those from real paraphrases, so a hit must also pass this lexical check, which rejects the
 * shapes such opposites take: the same words reordered, one word swapped, or a negation added.
 */

/** Words that carry no meaning of their own here; direction and negation words are kept. */
const FUNCTION_WORDS = new Set(
  (
    'a an the i me my we our you your it its is are was were be been am do does did doing can could ' +
    'would should will shall may might must how what which who whom where when why there here this ' +
    'that these those of for with at by about as so and or if then than just please any some get ' +
    'got have has had way there s t'
  ).split(' '),
);

const NEGATIONS = new Set([
  'not',
  'no',
  'never',
  'without',
  'cannot',
  'cant',
  'dont',
  'doesnt',
  'isnt',
  'wont',
]);

/** Lowercased content words, apostrophes dropped, a plural "s" stripped so plurals still match. */
export function contentWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/['’]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0 && !FUNCTION_WORDS.has(word))
    .map((word) =>
      word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word,
    );
}

/** Why two questions that embed close together may still ask different things, or null. */
export function contrastReason(query: string, cached: string): string | null {
  const a = contentWords(query);
  const b = contentWords(cached);
  if (a.join(' ') === b.join(' ')) return null;
  const onlyA = difference(a, b);
  const onlyB = difference(b, a);
  if (onlyA.length === 0 && onlyB.length === 0) return 'same words in a different order';
  if ([...onlyA, ...onlyB].some((word) => NEGATIONS.has(word))) return 'a negation differs';
  if (onlyA.length === 1 && onlyB.length === 1) return `"${onlyA[0]}" instead of "${onlyB[0]}"`;
  return null;
}

/** Multiset difference: words of `a` not matched one-for-one by words of `b`. */
function difference(a: string[], b: string[]): string[] {
  const counts = new Map<string, number>();
  for (const word of b) counts.set(word, (counts.get(word) ?? 0) + 1);
  const out: string[] = [];
  for (const word of a) {
    const left = counts.get(word) ?? 0;
    if (left > 0) counts.set(word, left - 1);
    else out.push(word);
  }
  return out;
}
