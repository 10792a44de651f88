import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import {
  harnessConfig,
  startHarness,
  UPSTREAM_ANTHROPIC_KEY,
  UPSTREAM_OPENAI_KEY,
  type Harness,
} from '../../support/apex-harness.ts';

let harness: Harness;

afterEach(async () => {
  await harness?.close();
});

const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Hello there' }] };

function openaiWith(secret: string): OpenAI {
  return new OpenAI({ baseURL: `${harness.proxy.url}/v1`, apiKey: secret, maxRetries: 0 });
}

function anthropicWith(secret: string): Anthropic {
  return new Anthropic({ baseURL: harness.proxy.url, apiKey: secret, maxRetries: 0 });
}

function createKey(fields: object = {}): { id: string; secret: string } {
  const { key, secret } = harness.proxy.keys.store.create({ name: 'alice', ...fields });
  return { id: key.id, secret };
}

async function errorOf(
  call: Promise<unknown>,
): Promise<{ status: number; error: unknown; headers: Headers }> {
  try {
    await call;
  } catch (error) {
    const apiError = error as { status: number; error: unknown; headers: Headers };
    return { status: apiError.status, error: apiError.error, headers: apiError.headers };
  }
  throw new Error('expected the call to fail');
}

describe('virtual keys on the request path', () => {
  it('bills a virtual key and its project, and sends only the configured provider key upstream', async () => {
    harness = await startHarness();
    const { id, secret } = createKey({ project: 'search' });
    const answer = await openaiWith(secret).chat.completions.create(chat);
    expect(answer.choices[0]?.message.content).toBeTruthy();
    const [event] = await harness.waitForEvents(1);
    expect(event).toMatchObject({ keyId: id, project: 'search', status: 200 });
    const sent = harness.openaiUpstream.requests[0]!.headers;
    expect(sent.authorization).toBe(`Bearer ${UPSTREAM_OPENAI_KEY}`);
    expect(JSON.stringify(sent)).not.toContain(secret);
    expect(harness.proxy.keys.access.ledger.spent(id, Date.now()).dayNanos).toBe(event!.costNanos);
  });

  it('works from the Anthropic SDK too, with x-api-key', async () => {
    harness = await startHarness();
    const { id, secret } = createKey();
    await anthropicWith(secret).messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const [event] = await harness.waitForEvents(1);
    expect(event!.keyId).toBe(id);
    expect(harness.anthropicUpstream.requests[0]!.headers['x-api-key']).toBe(UPSTREAM_ANTHROPIC_KEY);
  });

  it('refuses an unknown or revoked key with a 401 in the caller format, before any upstream call', async () => {
    harness = await startHarness();
    const { id, secret } = createKey();
    harness.proxy.keys.store.revoke(id);
    const revoked = await errorOf(openaiWith(secret).chat.completions.create(chat));
    expect(revoked.status).toBe(401);
    expect(revoked.error).toMatchObject({ code: 'key_revoked' });
    const unknown = await errorOf(
      anthropicWith(`sk-apex-${'x'.repeat(32)}`).messages.create({
        model: 'claude-haiku-4-5',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    );
    expect(unknown.status).toBe(401);
    expect(unknown.error).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    expect(harness.openaiUpstream.requests).toHaveLength(0);
    const events = await harness.waitForEvents(2);
    expect(events.map((event) => event.errorClass)).toEqual(['key_revoked', 'invalid_api_key']);
  });

  it('refuses a request over the daily budget with insufficient_quota and x-should-retry: false', async () => {
    harness = await startHarness();
    // Enough for the first request's estimate (its prompt); its answer then spends the rest.
    const { id, secret } = createKey({ budgetDailyNanos: 1_000 });
    const client = openaiWith(secret);
    await client.chat.completions.create(chat);
    await harness.waitForEvents(1);
    expect(harness.proxy.keys.access.ledger.spent(id, Date.now()).dayNanos).toBeGreaterThan(1_000);
    const refused = await errorOf(client.chat.completions.create({ ...chat, max_tokens: 100 }));
    expect(refused.status).toBe(429);
    expect(refused.error).toMatchObject({ type: 'insufficient_quota', code: 'budget_exceeded' });
    expect(refused.headers.get('x-should-retry')).toBe('false');
    expect(harness.openaiUpstream.requests).toHaveLength(1);
  });

  it('limits requests per minute with a retry-after', async () => {
    harness = await startHarness();
    const { secret } = createKey({ rpm: 1 });
    const client = openaiWith(secret);
    await client.chat.completions.create(chat);
    const limited = await errorOf(client.chat.completions.create(chat));
    expect(limited.status).toBe(429);
    expect(limited.error).toMatchObject({ code: 'rate_limit_exceeded' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses models the key may not use', async () => {
    harness = await startHarness();
    const { secret } = createKey({ models: ['claude-*'] });
    const refused = await errorOf(openaiWith(secret).chat.completions.create(chat));
    expect(refused.status).toBe(403);
    expect(refused.error).toMatchObject({ code: 'model_not_allowed' });
  });

  it('never sends a virtual key to a provider that would forward the caller key', async () => {
    harness = await startHarness();
    const { secret } = createKey();
    const refused = await errorOf(
      openaiWith(secret).chat.completions.create({ ...chat, model: 'local-llama' }),
    );
    expect(refused.status).toBe(500);
    expect(refused.error).toMatchObject({ code: 'provider_key_missing' });
    expect(harness.openaiUpstream.requests).toHaveLength(0);
  });

  it('requires a virtual key when the config says so, and follows the config on reload', async () => {
    const required = (openaiUrl: string, anthropicUrl: string) => ({
      ...harnessConfig(openaiUrl, anthropicUrl),
      server: { requireVirtualKeys: true },
    });
    harness = await startHarness({ config: required });
    const refused = await errorOf(harness.openai.chat.completions.create(chat));
    expect(refused.status).toBe(401);
    expect(refused.error).toMatchObject({ code: 'virtual_key_required' });
    const { secret } = createKey();
    await expect(openaiWith(secret).chat.completions.create(chat)).resolves.toBeTruthy();
    const open = harness.proxy.runtime().config;
    await harness.proxy.reload({ ...open, server: { ...open.server, requireVirtualKeys: false } });
    await expect(harness.openai.chat.completions.create(chat)).resolves.toBeTruthy();
  });
});
