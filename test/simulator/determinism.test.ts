import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../proxy/simulator/server.ts';
import { TEST_SPEED } from './helpers.ts';

const started: RunningSimulator[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((simulator) => simulator.close()));
});

async function simulator(options: Parameters<typeof startSimulator>[0]): Promise<RunningSimulator> {
  const running = await startSimulator(options);
  started.push(running);
  return running;
}

const REQUESTS: Array<{ path: string; body: Record<string, unknown> }> = [
  {
    path: '/v1/chat/completions',
    body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'Plan the launch.' }] },
  },
  { path: '/v1/chat/completions', body: { model: 'o4-mini', messages: [{ role: 'user', content: 'Why?' }] } },
  { path: '/v1/responses', body: { model: 'gpt-5', input: 'Write release notes.' } },
  {
    path: '/v1/messages',
    body: {
      model: 'claude-opus-4-5',
      max_tokens: 800,
      messages: [{ role: 'user', content: 'Review this.' }],
    },
  },
  { path: '/v1/completions', body: { model: 'gpt-4.1-mini', prompt: 'The report says', max_tokens: 100 } },
];

/** What the model said and what it cost: everything but ids and timestamps. */
function substance(body: Record<string, unknown>): unknown {
  const {
    id: _id,
    created: _created,
    created_at: _createdAt,
    system_fingerprint: _fp,
    output,
    ...rest
  } = body;
  const items = Array.isArray(output)
    ? output.map(({ id: _itemId, call_id: _callId, ...item }) => item)
    : output;
  return { ...rest, output: items };
}

async function run(url: string): Promise<unknown[]> {
  const answers = [];
  for (const request of REQUESTS) {
    const response = await fetch(`${url}${request.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify(request.body),
    });
    answers.push(substance((await response.json()) as Record<string, unknown>));
  }
  return answers;
}

describe('determinism', () => {
  it('gives identical answers and usage for the same seed', async () => {
    const first = await simulator({ seed: 1234, speed: TEST_SPEED, errorRate: 0.3 });
    const second = await simulator({ seed: 1234, speed: TEST_SPEED, errorRate: 0.3 });
    expect(await run(second.url)).toEqual(await run(first.url));
  });

  it('gives different answers for a different seed', async () => {
    const first = await simulator({ seed: 1, speed: TEST_SPEED, errorRate: 0 });
    const second = await simulator({ seed: 2, speed: TEST_SPEED, errorRate: 0 });
    expect(await run(second.url)).not.toEqual(await run(first.url));
  });

  it('varies the answer to a repeated prompt when no seed is given, as sampling would', async () => {
    const unseeded = await simulator({ speed: TEST_SPEED, errorRate: 0 });
    const texts = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`${unseeded.url}/v1/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'Same question' }],
        }),
      });
      const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
      texts.add(body.choices[0]!.message.content);
    }
    expect(texts.size).toBeGreaterThan(1);
  });

  it('paces time to first token and streaming by model and speed', async () => {
    const slow = await simulator({ seed: 5, speed: 10, errorRate: 0 });
    const started = performance.now();
    const response = await fetch(`${slow.url}/v1/messages`, {
      method: 'POST',
      headers: { 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({
        model: 'claude-opus-4-5',
        max_tokens: 200,
        stream: true,
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    });
    const reader = response.body!.getReader();
    await reader.read();
    const firstEvent = performance.now() - started;
    while (!(await reader.read()).done);
    const total = performance.now() - started;
    // Opus: 600-900 ms to first token, 50 tokens/s; divided by speed 10.
    expect(firstEvent).toBeGreaterThanOrEqual(55);
    expect(total).toBeGreaterThan(firstEvent);
  });
});
