// Drives one Apex at concurrency 1 with a body sequence, timing each request and checking from
// the response headers that the optimizer under test did what the variant says it does.
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import type { Body } from './bodies.ts';

/** What Apex said it did, from `x-apex-optimizations` and `x-apex-cache`. */
export interface Outcome {
  optimizations: string;
  cache: string;
}

/** Null when the outcome is what the variant expects, else what is wrong. */
export type Check = (outcome: Outcome) => string | null;

/** One side of a comparison: an Apex, its body sequence and where that sequence has got to. */
export interface Side {
  origin: string;
  body: Body;
  check: Check;
  /** Index of the next request in the body sequence; sequences never restart. */
  sent: number;
  /** The first outcome seen, for the report. */
  sample: Outcome | null;
}

const HEADERS = {
  'content-type': 'application/json',
  authorization: 'Bearer bench-key',
  // Marks every request as able to wait, so the service tier step has something to decide.
  'x-apex-urgency': 'low',
};

function headerText(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value.join(', ') : value) ?? '';
}

async function once(pool: Pool, payload: string): Promise<Outcome> {
  const { statusCode, headers, body } = await pool.request({
    path: '/v1/chat/completions',
    method: 'POST',
    headers: HEADERS,
    body: payload,
  });
  const text = await body.text();
  if (statusCode !== 200) throw new Error(`unexpected status ${statusCode}: ${text.slice(0, 300)}`);
  return {
    optimizations: headerText(headers['x-apex-optimizations']),
    cache: headerText(headers['x-apex-cache']),
  };
}

function verify(side: Side, outcome: Outcome): void {
  side.sample ??= outcome;
  const wrong = side.check(outcome);
  if (wrong !== null) {
    throw new Error(
      `${side.body.name} request #${side.sent} via ${side.origin}: ${wrong}\n` +
        `  x-apex-optimizations: ${outcome.optimizations || '(none)'}\n  x-apex-cache: ${outcome.cache || '(none)'}`,
    );
  }
}

/** Sends `count` requests unmeasured (JIT, connections, cache fills); their outcomes are not checked. */
export async function warm(side: Side, count: number): Promise<void> {
  const pool = new Pool(side.origin, { connections: 1 });
  try {
    for (let i = 0; i < count; i++) await once(pool, side.body.next(side.sent++));
  } finally {
    await pool.close();
  }
}

/** Per-request latencies in microseconds, one request at a time, each outcome checked. */
export async function measure(side: Side, count: number, warmup: number): Promise<Float64Array> {
  const pool = new Pool(side.origin, { connections: 1 });
  const samples = new Float64Array(count);
  try {
    for (let i = 0; i < warmup; i++) await once(pool, side.body.next(side.sent++));
    for (let i = 0; i < count; i++) {
      // The body is built before the clock starts: the client's JSON work is not the proxy's.
      const payload = side.body.next(side.sent);
      const start = performance.now();
      const outcome = await once(pool, payload);
      samples[i] = (performance.now() - start) * 1000;
      verify(side, outcome);
      side.sent++;
    }
  } finally {
    await pool.close();
  }
  return samples;
}
