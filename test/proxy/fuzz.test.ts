import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/apex-harness.ts';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness.close());

const PATHS = ['/v1/chat/completions', '/v1/completions', '/v1/embeddings', '/v1/responses', '/v1/messages'];

// Bodies that are JSON-ish or plain garbage, including valid JSON of the wrong shape.
const body = fc.oneof(
  fc.string(),
  fc.json(),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc
    .record({ model: fc.oneof(fc.string(), fc.integer(), fc.constant(null)), stream: fc.anything() })
    .map((v) => JSON.stringify(v)),
  fc.uint8Array({ maxLength: 256 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
);

describe('no input crashes the proxy', () => {
  it('answers every arbitrary body with a status and stays healthy', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PATHS), body, async (path, payload) => {
        const response = await fetch(`${harness.proxy.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: payload,
        });
        await response.arrayBuffer();
        expect(response.status).toBeGreaterThanOrEqual(200);
        expect(response.status).toBeLessThan(600);
      }),
      { numRuns: 150 },
    );
    const health = await fetch(`${harness.proxy.url}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(harness.logged.filter((line) => line.includes('unexpected'))).toEqual([]);
  });
});
