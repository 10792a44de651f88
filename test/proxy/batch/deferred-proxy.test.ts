import { afterEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../proxy/config/load.ts';
import { harnessConfig, startHarness, type Harness } from '../../support/apex-harness.ts';

let harness: Harness;
afterEach(async () => harness?.close());

function withCompat(proof: object = { controlShare: 0 }) {
  return (openaiUrl: string, anthropicUrl: string) => {
    const base = harnessConfig(openaiUrl, anthropicUrl) as { providers: object; models: object[] };
    return {
      ...base,
      providers: {
        ...base.providers,
        compat: { kind: 'openai-compatible', baseUrl: `${openaiUrl}/v1`, apiKey: 'sk-compat' },
      },
      models: [{ name: 'compat-llama', provider: 'compat', model: 'llama3.1:8b' }, ...base.models],
      proof,
    };
  };
}

async function post(path: string, body: object, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${harness.proxy.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: 'Bearer sk-client-a',
      'x-apex-urgency': 'batch',
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

async function get(id: string, headers: Record<string, string> = { authorization: 'Bearer sk-client-a' }) {
  return fetch(`${harness.proxy.url}/v1/apex/deferred/${id}`, { headers });
}

const question = (model: string) => ({
  model,
  messages: [{ role: 'user', content: 'Summarize yesterday.' }],
});

describe('deferred requests through the proxy', () => {
  it('answers 202 with a receipt, then the provider answer once it has been sent', async () => {
    harness = await startHarness({ config: withCompat() });
    const accepted = await post('/v1/chat/completions', question('compat-llama'));
    expect(accepted.status).toBe(202);
    expect(accepted.headers.get('x-apex-deferred')).toBe('direct');
    expect(accepted.headers.get('retry-after')).toBe('30');
    const receipt = (await accepted.json()) as { id: string; status: string; result_url: string };
    expect(receipt).toMatchObject({
      object: 'apex.deferred_request',
      status: 'queued',
      model: 'compat-llama',
    });
    expect(receipt.result_url).toBe(`/v1/apex/deferred/${receipt.id}`);
    expect(accepted.headers.get('x-apex-request-id')).toBe(receipt.id);
    expect(harness.events).toHaveLength(0);

    const pending = await get(receipt.id);
    expect(pending.status).toBe(202);
    expect(((await pending.json()) as { status: string }).status).toBe('queued');

    await harness.proxy.deferred.tick();
    const done = await get(receipt.id);
    expect(done.status).toBe(200);
    expect(((await done.json()) as { object: string }).object).toBe('chat.completion');
    const sent = harness.openaiUpstream.requests.at(-1)!;
    expect(sent.headers.authorization).toBe('Bearer sk-compat');
    expect((sent.json as { model: string }).model).toBe('llama3.1:8b');
    const metrics = await (await fetch(`${harness.proxy.url}/metrics`)).text();
    expect(metrics).toContain('apex_deferred_requests{state="done"} 1');
    const [event] = await harness.waitForEvents(1);
    expect(event).toMatchObject({
      id: receipt.id,
      status: 200,
      provider: 'compat',
      keyId: expect.stringMatching(/^key_/),
    });
  });

  it('shows an answer only to the key that asked for it', async () => {
    harness = await startHarness({ config: withCompat() });
    const { id } = (await (await post('/v1/chat/completions', question('compat-llama'))).json()) as {
      id: string;
    };
    const stranger = await get(id, { authorization: 'Bearer sk-someone-else' });
    expect(stranger.status).toBe(404);
    expect(((await stranger.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
    const anthropicStyle = await get('no-such-id', {
      'x-api-key': 'sk-ant',
      'anthropic-version': '2023-06-01',
    });
    expect(anthropicStyle.status).toBe(404);
    expect(await anthropicStyle.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });

  it('marks first-party requests for the batch API, and the control group for the standard one', async () => {
    harness = await startHarness({ config: withCompat() });
    const batched = await post('/v1/chat/completions', question('gpt-4o'));
    expect(batched.headers.get('x-apex-deferred')).toBe('batch');
    await harness.close();
    harness = await startHarness({ config: withCompat({ controlShare: 0.5 }) });
    const arms: Array<[string | null, string | null]> = [];
    for (let user = 0; user < 12; user++) {
      const response = await post('/v1/chat/completions', question('gpt-4o'), {
        'x-apex-user': `user-${user}`,
      });
      arms.push([response.headers.get('x-apex-arm'), response.headers.get('x-apex-deferred')]);
    }
    expect(new Set(arms.map(([arm]) => arm))).toEqual(new Set(['control', 'treatment']));
    for (const [arm, mode] of arms) expect(mode).toBe(arm === 'control' ? 'direct' : 'batch');
  });

  it('refuses a streamed deferred request in the caller format, and records the refusal', async () => {
    harness = await startHarness({ config: withCompat() });
    const openai = await post('/v1/chat/completions', { ...question('gpt-4o'), stream: true });
    expect(openai.status).toBe(400);
    expect(await openai.json()).toMatchObject({ error: { type: 'invalid_request_error', param: 'stream' } });
    const anthropic = await post(
      '/v1/messages',
      {
        model: 'claude-sonnet-4-5',
        max_tokens: 10,
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      },
      { 'x-api-key': 'sk-ant-client', 'anthropic-version': '2023-06-01' },
    );
    expect(anthropic.status).toBe(400);
    expect(await anthropic.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    const events = await harness.waitForEvents(2);
    expect(events.map((e) => e.status)).toEqual([400, 400]);
  });

  it('fails a waiting request whose provider was removed from the config, in the caller format', async () => {
    harness = await startHarness({ config: withCompat() });
    const { id } = (await (await post('/v1/chat/completions', question('compat-llama'))).json()) as {
      id: string;
    };
    const config = withCompat()(harness.openaiUpstream.url, harness.anthropicUpstream.url) as {
      providers: Record<string, unknown>;
      models: Array<{ provider: string }>;
    };
    delete config.providers['compat'];
    config.models = config.models.filter((model) => model.provider !== 'compat');
    await harness.proxy.reload(parseConfigText(JSON.stringify(config), 'reloaded.json'));
    await harness.proxy.deferred.tick();
    const answer = await get(id);
    expect(answer.status).toBe(502);
    expect(await answer.json()).toMatchObject({
      error: { message: expect.stringContaining('no longer configured') },
    });
  });

  it("refuses deferral when Apex has no key of its own for the provider (it never stores a caller's key)", async () => {
    harness = await startHarness({ config: withCompat() });
    const response = await post('/v1/chat/completions', question('local-llama'));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('apiKey');
  });
});
