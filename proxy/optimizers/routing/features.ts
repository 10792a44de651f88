import { extractConversation, requestsJson, type GenerationEndpoint } from './request-text.ts';

/** Token estimator supplied by the caller (the proxy passes its tokenizer-backed one). */
export type TextEstimator = (text: string) => number;

/** Every classifier input, each scaled to roughly [0, 1] so one learning rate suits them all. */
export const FEATURE_NAMES = [
  'bias',
  'promptTokens',
  'turns',
  'lastMessage',
  'codeFences',
  'codeSyntax',
  'codeTopic',
  'reasoningCues',
  'taskCues',
  'mathNotation',
  'questions',
  'listItems',
  'tools',
  'structuredOutput',
  'multilingual',
  'simpleCues',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];
export type Features = Record<FeatureName, number>;

// Words that signal multi-step reasoning; matched as whole words, case-insensitive.
const REASONING_CUES = [
  'prove',
  'proof',
  'step by step',
  'step-by-step',
  'derive',
  'derivation',
  'analyze',
  'analyse',
  'analysis',
  'optimize',
  'optimise',
  'refactor',
  'debug',
  'architecture',
  'trade-off',
  'tradeoff',
  'trade-offs',
  'complexity',
  'algorithm',
  'theorem',
  'lemma',
  'rigorous',
  'rigorously',
  'explain why',
  'justify',
  'evaluate',
  'critique',
  'root cause',
  'edge cases',
  'invariant',
  'concurrency',
  'race condition',
];
const TASK_CUES = [
  'write',
  'implement',
  'build',
  'create',
  'generate',
  'design',
  'develop',
  'solve',
  'calculate',
  'plan',
];
const CODE_TOPICS = [
  'sql',
  'regex',
  'function',
  'query',
  'python',
  'javascript',
  'typescript',
  'java',
  'rust',
  'golang',
  'c\\+\\+',
  'api',
  'bug',
  'stack trace',
  'exception',
  'compile',
  'database',
  'schema',
  'endpoint',
  'unit test',
];
// Requests a small model answers as well as a large one: greetings, lookups, mechanical rewrites.
const SIMPLE_CUES = [
  'hi',
  'hello',
  'hey',
  'thanks',
  'thank you',
  'good morning',
  'good evening',
  'translate',
  'reformat',
  'convert',
  'fix the typo',
  'fix the typos',
  'fix typos',
  'fix the grammar',
  'spell',
  'capital of',
  'what is',
  "what's",
  'who is',
  'define',
  'definition of',
  'synonym',
  'uppercase',
  'lowercase',
  'title case',
  'rephrase',
  'one sentence',
  'one word',
  'yes or no',
  'tl;dr',
  'extract the',
];

function cueRegExp(words: readonly string[]): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
}
const REASONING_RE = cueRegExp(REASONING_CUES);
const TASK_RE = cueRegExp(TASK_CUES);
const CODE_TOPIC_RE = cueRegExp(CODE_TOPICS);
const SIMPLE_RE = cueRegExp(SIMPLE_CUES);
const CODE_LINE_RE =
  /^\s*(?:def |class |function |import |from \S+ import|#include|public |private |const |let |var |fn |func |SELECT |INSERT |UPDATE )|[;{}]\s*$|=>|\)\s*:\s*$/gim;
const MATH_RE = /\\(?:frac|sum|int|sqrt|lim|prod|forall|exists|mathbb)|[∑∫√∀∃≤≥≠∞∂]|\b\w\^\d|\$[^$\n]+\$/g;
const LIST_RE = /^\s*(?:\d+[.)]|[-*•])\s+/gm;

function distinctMatches(text: string, pattern: RegExp): number {
  return new Set((text.match(pattern) ?? []).map((m) => m.toLowerCase())).size;
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

/** log(1 + x) scaled so that x = `full` maps to 1 (and larger values keep growing slowly). */
function logScale(x: number, full: number): number {
  return Math.log1p(Math.max(0, x)) / Math.log1p(full);
}

/** Share of letters outside the Latin script: small models degrade most in other scripts. */
function nonLatinShare(text: string): number {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (letters === 0) return 0;
  const nonLatin = text.match(/(?!\p{Script=Latin})\p{L}/gu)?.length ?? 0;
  return nonLatin / letters;
}

/** The request's features; only the last user turn feeds the cue features (it holds the ask). */
export function extractFeatures(
  endpoint: GenerationEndpoint,
  body: Record<string, unknown>,
  estimate: TextEstimator,
): Features {
  const conversation = extractConversation(endpoint, body);
  const all = [conversation.system, ...conversation.turns.map((t) => t.text)].join('\n');
  const last = conversation.turns.findLast((t) => t.role === 'user')?.text ?? '';
  const fences = Math.floor(count(all, /```/g) / 2);
  return {
    bias: 1,
    promptTokens: logScale(estimate(all), 100_000),
    turns: logScale(conversation.turns.length, 50),
    lastMessage: logScale(estimate(last), 20_000),
    codeFences: Math.min(1, fences / 2),
    codeSyntax: Math.min(1, count(all, CODE_LINE_RE) / 10),
    codeTopic: Math.min(1, distinctMatches(last, CODE_TOPIC_RE) / 2),
    reasoningCues: Math.min(1, distinctMatches(last, REASONING_RE) / 3),
    taskCues: Math.min(1, distinctMatches(last, TASK_RE) / 2),
    mathNotation: Math.min(1, count(last, MATH_RE) / 3),
    questions: Math.min(1, Math.max(0, count(last, /\?/g) - 1) / 3),
    listItems: Math.min(1, count(last, LIST_RE) / 6),
    tools: logScale(conversation.toolCount, 20),
    structuredOutput: requestsJson(endpoint, body) ? 1 : 0,
    multilingual: Math.min(1, nonLatinShare(last) / 0.3),
    simpleCues: Math.min(1, distinctMatches(last, SIMPLE_RE) / 2),
  };
}
