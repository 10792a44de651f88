import { minifyJson, minifyJsonFences } from './json-minify.ts';
import { compactWhitespace } from './whitespace.ts';

export type StepRecorder = (step: 'whitespace' | 'json-minify') => void;

/**
 * The lossless per-text rewrite: a text that is JSON in full is minified (and then has no prose
 * to compact); otherwise its ```json blocks are minified and its prose whitespace compacted.
 */
export function compactText(text: string, record: StepRecorder): string {
  const json = minifyJson(text);
  if (json !== null) {
    if (json !== text) record('json-minify');
    return json;
  }
  const fenced = minifyJsonFences(text);
  if (fenced !== text) record('json-minify');
  const spaced = compactWhitespace(fenced);
  if (spaced !== fenced) record('whitespace');
  return spaced;
}
