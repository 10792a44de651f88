// Latency drivers: a closed loop at concurrency 1 and an open loop at a fixed
// rate. The open loop times each request from when it was due, not when it was
// sent, so a stall is charged to every request it delayed (no coordinated omission).
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

export const REQUEST_BODY = JSON.stringify({
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'You are a terse assistant.' },
    { role: 'user', content: 'Say something about foxes.' },
  ],
  max_tokens: 32,
});

const HEADERS = { 'content-type': 'application/json', authorization: 'Bearer bench-key' };

async function once(pool: Pool): Promise<void> {
  const { statusCode, body } = await pool.request({
    path: '/v1/chat/completions',
    method: 'POST',
    headers: HEADERS,
    body: REQUEST_BODY,
  });
  await body.arrayBuffer();
  if (statusCode !== 200) throw new Error(`unexpected status ${statusCode}`);
}

/** Per-request latencies in microseconds, one request at a time. */
export async function closedLoop(origin: string, count: number): Promise<Float64Array> {
  const pool = new Pool(origin, { connections: 1 });
  const samples = new Float64Array(count);
  try {
    for (let i = 0; i < 200; i++) await once(pool);
    for (let i = 0; i < count; i++) {
      const start = performance.now();
      await once(pool);
      samples[i] = (performance.now() - start) * 1000;
    }
  } finally {
    await pool.close();
  }
  return samples;
}

/**
 * Latencies in microseconds at a fixed arrival rate, measured from each request's due time.
 * The scheduler sleeps between ticks (a spinning loop would steal the core the proxy needs)
 * and sends every request that has fallen due at each tick.
 */
export async function openLoop(
  origin: string,
  ratePerSecond: number,
  seconds: number,
  warmupSeconds = 1,
): Promise<Float64Array> {
  const pool = new Pool(origin, { connections: 64 });
  const warmup = Math.round(ratePerSecond * warmupSeconds);
  const total = warmup + Math.round(ratePerSecond * seconds);
  const samples = new Float64Array(total);
  const intervalMs = 1000 / ratePerSecond;
  const start = performance.now() + 20;
  const inFlight: Promise<void>[] = [];
  let sent = 0;
  try {
    while (sent < total) {
      const now = performance.now();
      while (sent < total && start + sent * intervalMs <= now) {
        // Timed from the actual send: the generator's own timer lateness is not the proxy's latency.
        const index = sent++;
        const sentAt = performance.now();
        inFlight.push(once(pool).then(() => void (samples[index] = (performance.now() - sentAt) * 1000)));
      }
      const nextDue = start + sent * intervalMs;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, nextDue - performance.now() - 0.2)));
    }
    await Promise.all(inFlight);
  } finally {
    await pool.close();
  }
  // The first second warms JIT and connections on both sides and is not reported.
  return samples.subarray(warmup);
}

export function percentile(samples: Float64Array, p: number): number {
  const sorted = Float64Array.from(samples).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** One sample array from several rounds' samples, for percentiles over all of them. */
export function pooled(rounds: Float64Array[]): Float64Array {
  const all = new Float64Array(rounds.reduce((n, r) => n + r.length, 0));
  let at = 0;
  for (const round of rounds) {
    all.set(round, at);
    at += round.length;
  }
  return all;
}
