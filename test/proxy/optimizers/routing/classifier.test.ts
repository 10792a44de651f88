import { describe, expect, it } from 'vitest';
import {
  ComplexityClassifier,
  decide,
  DEFAULT_WEIGHTS,
  extractFeatures,
  FEATURE_NAMES,
  type Features,
} from '../../../../proxy/optimizers/routing/classifier.ts';

const estimate = (text: string): number => Math.ceil(text.length / 4);

function features(text: string): Features {
  return extractFeatures('chat', { messages: [{ role: 'user', content: text }] }, estimate);
}

const legacyModule = Array.from(
  { length: 60 },
  (_, i) =>
    `function handler${i}(req, res) {\n  const user = db.users.find(req.params.id);\n  res.json(user);\n}`,
).join('\n');

const EASY = [
  'Hello! How are you today?',
  'hi',
  'Thanks, that works!',
  'What is the capital of Australia?',
  'Who is the author of Pride and Prejudice?',
  'Define the word "ephemeral".',
  'Convert this to uppercase: the quick brown fox',
  'Translate "good night" into Spanish.',
  'Fix the typos in this sentence: "Teh cat sat on teh mat."',
  'Rephrase this in one sentence: our meeting moved to Tuesday because the room was booked.',
];

const HARD = [
  'Prove that there are infinitely many primes, then derive a lower bound on the prime counting function. Be rigorous.',
  'Prove step by step that the sum of 1/n^2 converges to \\pi^2/6, deriving each identity you use.',
  'Derive the closed form of the recurrence T(n) = 2T(n/2) + n log n and prove it by induction.',
  `Refactor this module to use dependency injection, keep behaviour identical, and explain the trade-offs:\n\`\`\`js\n${legacyModule}\n\`\`\``,
  'Analyze the time complexity of this algorithm and optimize it:\n```python\ndef f(xs):\n    for i in range(len(xs)):\n        for j in range(len(xs)):\n            if xs[i] + xs[j] == 0: return True\n    return False\n```',
  'Design a distributed rate limiter. Requirements:\n1. 10k rps\n2. multi-region\n3. per-tenant fairness\n4. survives a region outage\nAnalyze the trade-offs and edge cases.',
  'Debug this race condition: two goroutines update the same map and the service crashes under load. Find the root cause and prove the fix is correct.',
];

describe('default weights', () => {
  const classifier = new ComplexityClassifier();

  it.each(EASY)('send obviously easy requests to the cheap model: %s', (text) => {
    expect(decide(classifier.score(features(text)), 0.5)).toBe('cheap');
  });

  it.each(HARD)('keep obviously hard requests on the default model: %#', (text) => {
    expect(decide(classifier.score(features(text)), 0.5)).toBe('default');
  });

  it('separate the two sets with a margin', () => {
    const easiest = Math.max(...EASY.map((t) => classifier.score(features(t))));
    const hardest = Math.min(...HARD.map((t) => classifier.score(features(t))));
    expect(easiest).toBeLessThan(0.35);
    expect(hardest).toBeGreaterThan(0.7);
  });
});

describe('features', () => {
  it('are all finite and each signal moves its own feature', () => {
    const plain = features('Tell me about the weather.');
    for (const name of FEATURE_NAMES) expect(Number.isFinite(plain[name])).toBe(true);
    expect(plain.bias).toBe(1);
    expect(features('```ts\nconst a = 1;\n```').codeFences).toBeGreaterThan(plain.codeFences);
    expect(features('Prove it step by step').reasoningCues).toBeGreaterThan(0);
    expect(features('Compute \\frac{a}{b} and \\sum x^2').mathNotation).toBeGreaterThan(0);
    expect(features('Why? How? When?').questions).toBeGreaterThan(0);
    expect(features('- one\n- two\n- three').listItems).toBeGreaterThan(0);
    expect(features('この関数の計算量を説明してください').multilingual).toBe(1);
    expect(features('Héllo, ça va? Très bien.').multilingual).toBe(0); // accented Latin is not another script
    expect(features('hello there').simpleCues).toBeGreaterThan(0);
    expect(features('shallow copy').simpleCues).toBe(0); // "hello" inside a word is not a greeting
  });

  it('read tools, structured output and turns from every API shape', () => {
    const chat = extractFeatures(
      'chat',
      {
        messages: [
          { role: 'system', content: 'be brief' },
          { role: 'user', content: [{ type: 'text', text: 'hi' }] },
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: '1', function: { name: 'f', arguments: '{}' } }],
          },
          { role: 'tool', content: 'result' },
        ],
        tools: [{ type: 'function', function: { name: 'f' } }],
        response_format: { type: 'json_schema', json_schema: { name: 'x', schema: {} } },
      },
      estimate,
    );
    expect(chat.tools).toBeGreaterThan(0);
    expect(chat.structuredOutput).toBe(1);
    expect(chat.turns).toBeGreaterThan(features('hi').turns);

    const messages = extractFeatures(
      'messages',
      {
        system: 'sys',
        messages: [{ role: 'user', content: 'Prove it, step by step.' }],
        tools: [{ name: 'f' }],
      },
      estimate,
    );
    expect(messages.reasoningCues).toBeGreaterThan(0);
    expect(messages.tools).toBeGreaterThan(0);

    const responses = extractFeatures(
      'responses',
      { instructions: 'sys', input: 'Derive the formula', text: { format: { type: 'json_object' } } },
      estimate,
    );
    expect(responses.reasoningCues).toBeGreaterThan(0);
    expect(responses.structuredOutput).toBe(1);

    const completions = extractFeatures('completions', { prompt: ['Hello', 'there'] }, estimate);
    expect(completions.simpleCues).toBeGreaterThan(0);
    expect(extractFeatures('chat', {}, estimate).promptTokens).toBe(0);
  });
});

describe('online learning', () => {
  it('moves short legal questions to the default model when cascades say they are hard', () => {
    const legal = [
      'Is this clause enforceable in Germany: the tenant waives all rights to a deposit refund?',
      'Does a verbal agreement to sell a car count as a binding contract in France?',
      'Can my employer in Spain change my shift schedule without notice?',
      'Is a non-compete clause valid for a contractor in California?',
      'Would a landlord in Ontario need a court order to evict a tenant who stopped paying?',
    ];
    const heldOut = features('Is an email signature legally binding for a lease renewal in Italy?');
    const easy = ['Hello!', 'What is the capital of Peru?', 'Thanks a lot', 'Translate "cat" into German.'];
    const classifier = new ComplexityClassifier();
    expect(decide(classifier.score(heldOut), 0.5)).toBe('cheap');
    for (let round = 0; round < 20; round++) {
      for (const text of legal) classifier.update(features(text), true);
      for (const text of easy) classifier.update(features(text), false);
    }
    expect(decide(classifier.score(heldOut), 0.5)).toBe('default');
    expect(decide(classifier.score(features('Hi there!')), 0.5)).toBe('cheap');
    expect(decide(classifier.score(features('What is the capital of Chile?')), 0.5)).toBe('cheap');
    expect(classifier.updates).toBe(180);
  });

  it('moves cue-heavy but easy requests to the cheap model when they keep succeeding there', () => {
    const sentiment = [
      'Analyze the sentiment of this review: "Great product, fast shipping." Answer positive or negative.',
      'Analyze the sentiment of this tweet: "worst airline ever". Answer positive or negative.',
      'Analyze the sentiment of: "I love this phone". Answer positive or negative.',
    ];
    const proofs = [
      'Prove that the square root of 2 is irrational, step by step, and derive a general lemma for primes.',
      'Derive the gradient of the softmax cross-entropy loss and prove it is convex. Be rigorous.',
    ];
    const heldOut = features(
      'Analyze the sentiment of this message: "the package arrived broken". Answer positive or negative.',
    );
    const classifier = new ComplexityClassifier();
    expect(decide(classifier.score(heldOut), 0.5)).toBe('default');
    for (let round = 0; round < 20; round++) {
      for (const text of sentiment) classifier.update(features(text), false);
      for (const text of proofs) classifier.update(features(text), true);
    }
    expect(decide(classifier.score(heldOut), 0.5)).toBe('cheap');
    const unseenProof = features(
      'Prove that there are infinitely many primes and derive a bound, step by step.',
    );
    expect(decide(classifier.score(unseenProof), 0.5)).toBe('default');
  });

  it('returns the pre-update score and lowers the loss on the example it learned from', () => {
    const classifier = new ComplexityClassifier();
    const x = features('Summarize this paragraph for me');
    const before = classifier.score(x);
    expect(classifier.update(x, true)).toBe(before);
    expect(classifier.score(x)).toBeGreaterThan(before);
  });

  it('pulls weights back toward the defaults (L2 toward the prior), leaving the bias free', () => {
    const classifier = new ComplexityClassifier({
      weights: { codeFences: 5, bias: 3 },
      l2: 0.5,
      learningRate: 0.5,
    });
    const silent = Object.fromEntries(FEATURE_NAMES.map((n) => [n, 0])) as Features;
    classifier.update(silent, true); // zero features: only the L2 pull acts
    expect(classifier.weights.codeFences).toBeLessThan(5);
    expect(classifier.weights.codeFences).toBeGreaterThan(DEFAULT_WEIGHTS.codeFences);
    expect(classifier.weights.bias).toBe(3);
  });
});

describe('persistence', () => {
  it('round-trips through JSON with identical scores', () => {
    const classifier = new ComplexityClassifier({ learningRate: 0.2 });
    for (const text of HARD) classifier.update(features(text), false);
    const restored = ComplexityClassifier.fromJSON(JSON.parse(JSON.stringify(classifier)));
    for (const text of [...EASY, ...HARD])
      expect(restored.score(features(text))).toBe(classifier.score(features(text)));
    expect(restored.toJSON()).toEqual(classifier.toJSON());
  });

  it('drops unknown features, defaults missing ones and rejects broken state', () => {
    const restored = ComplexityClassifier.fromJSON({
      version: 1,
      weights: { bias: 0.5, retiredFeature: 9 },
      learningRate: 0.1,
      l2: 0,
      updates: 3,
    });
    expect(restored.weights.bias).toBe(0.5);
    expect(restored.weights.reasoningCues).toBe(DEFAULT_WEIGHTS.reasoningCues);
    expect('retiredFeature' in restored.weights).toBe(false);
    expect(restored.updates).toBe(3);
    expect(() => ComplexityClassifier.fromJSON({ version: 2 })).toThrow();
    expect(() =>
      ComplexityClassifier.fromJSON({
        version: 1,
        weights: { bias: 'x' },
        learningRate: 0.1,
        l2: 0,
        updates: 0,
      }),
    ).toThrow();
  });
});

describe('decide', () => {
  it('splits at the threshold, which counts as default', () => {
    expect(decide(0.49, 0.5)).toBe('cheap');
    expect(decide(0.5, 0.5)).toBe('default');
    expect(decide(0.2, 0.1)).toBe('default');
  });
});
