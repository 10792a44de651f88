import { afterEach, describe, expect, it } from 'vitest';
import {
  ask,
  connect,
  refusal,
  startObservedSimulator,
  startRig,
  UPSTREAM_KEY,
  wsUrl,
  type ObservedUpstream,
  type Rig,
} from './realtime-support.ts';

let upstream: ObservedUpstream;
let rig: Rig;

afterEach(async () => {
  await rig?.close();
  await upstream?.close();
});

async function start(config?: (upstreamUrl: string) => object): Promise<void> {
  upstream = await startObservedSimulator();
  rig = await startRig(upstream.url, config?.(upstream.url));
}

/** Nothing the simulator saw may contain an Apex virtual key: not a header, the URL or a subprotocol. */
function expectNoVirtualKeyUpstream(): void {
  for (const handshake of upstream.handshakes) {
    expect(JSON.stringify(handshake)).not.toContain('sk-apex-');
  }
}

const url = (model = 'gpt-realtime'): string => wsUrl(rig.proxy.url, `/v1/realtime?model=${model}`);

describe('realtime sessions with virtual keys', () => {
  it('admits a virtual key, bills its responses to it and sends only Apex’s key upstream', async () => {
    await start();
    const { key, secret } = rig.proxy.keys.store.create({ name: 'voice bot', project: 'support' });
    const client = await connect(url(), { headers: { authorization: `Bearer ${secret}` } });
    await ask(client, 'Hello there');
    const [event] = await rig.waitForEvents(1);
    expect(event).toMatchObject({ keyId: key.id, project: 'support', endpoint: 'realtime' });
    expect(event!.costNanos).toBeGreaterThan(0);
    const spent = rig.proxy.keys.access.ledger.spent(key.id, Date.now());
    expect(spent.monthNanos).toBe(event!.costNanos);
    expect(upstream.handshakes).toHaveLength(1);
    expect(upstream.handshakes[0]!.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    expectNoVirtualKeyUpstream();
    client.ws.close();
  });

  it('reads a virtual key from the browser subprotocol and from an api-key header', async () => {
    await start();
    const { key, secret } = rig.proxy.keys.store.create({ name: 'browser' });
    const browser = await connect(url(), { protocols: ['realtime', `openai-insecure-api-key.${secret}`] });
    expect(browser.ws.protocol).toBe('realtime');
    await ask(browser, 'Hi');
    const azureStyle = await connect(url(), { headers: { 'api-key': secret } });
    await ask(azureStyle, 'Hi again');
    const events = await rig.waitForEvents(2);
    expect(events.map((event) => event.keyId)).toEqual([key.id, key.id]);
    expect(upstream.handshakes.map((h) => h.headers.authorization)).toEqual([
      `Bearer ${UPSTREAM_KEY}`,
      `Bearer ${UPSTREAM_KEY}`,
    ]);
    expectNoVirtualKeyUpstream();
    browser.ws.close();
    azureStyle.ws.close();
  });

  it('refuses a revoked or unknown virtual key with 401 before opening the upstream', async () => {
    await start();
    const { key, secret } = rig.proxy.keys.store.create({ name: 'old' });
    rig.proxy.keys.store.revoke(key.id);
    const revoked = await refusal(connect(url(), { headers: { authorization: `Bearer ${secret}` } }));
    expect(revoked.status).toBe(401);
    expect(revoked.json().error.code).toBe('key_revoked');
    expect(revoked.headers['x-should-retry']).toBe('false');
    const unknown = await refusal(
      connect(url(), {
        protocols: ['realtime', 'openai-insecure-api-key.sk-apex-00000000000000000000000000000000'],
      }),
    );
    expect(unknown.status).toBe(401);
    expect(unknown.json().error.code).toBe('invalid_api_key');
    expect(upstream.handshakes).toHaveLength(0);
  });

  it('applies the key’s model list and budget at the start of a session', async () => {
    await start();
    const narrow = rig.proxy.keys.store.create({ name: 'narrow', models: ['voice'] });
    const forbidden = await refusal(
      connect(url(), { headers: { authorization: `Bearer ${narrow.secret}` } }),
    );
    expect(forbidden.status).toBe(403);
    expect(forbidden.json().error.code).toBe('model_not_allowed');
    const tight = rig.proxy.keys.store.create({ name: 'tight', budgetMonthlyNanos: 1 });
    const first = await connect(url(), { headers: { authorization: `Bearer ${tight.secret}` } });
    await ask(first, 'Spend the budget');
    await rig.waitForEvents(1);
    const over = await refusal(connect(url(), { headers: { authorization: `Bearer ${tight.secret}` } }));
    expect(over.status).toBe(429);
    expect(over.json().error.code).toBe('budget_exceeded');
    expect(upstream.handshakes).toHaveLength(1);
    first.ws.close();
  });

  it('refuses a virtual key for a provider without its own key (Apex would have nothing to send)', async () => {
    await start();
    const { secret } = rig.proxy.keys.store.create({ name: 'k' });
    const refused = await refusal(
      connect(url('own-key-realtime'), { headers: { authorization: `Bearer ${secret}` } }),
    );
    expect(refused.status).toBe(400);
    expect(refused.json().error.message).toContain('no apiKey configured');
    expect(upstream.handshakes).toHaveLength(0);
  });

  it('refuses provider keys when the proxy requires virtual keys', async () => {
    await start();
    rig.proxy.keys.access.requireVirtualKeys = true;
    const refused = await refusal(connect(url(), { headers: { authorization: 'Bearer sk-provider-key' } }));
    expect(refused.status).toBe(401);
    expect(refused.json().error.code).toBe('virtual_key_required');
    const missing = await refusal(connect(url()));
    expect(missing.json().error.code).toBe('missing_api_key');
    expect(upstream.handshakes).toHaveLength(0);
  });

  it('forwards OpenAI headers and their subprotocol forms, and the client’s extra query parameters', async () => {
    await start();
    const client = await connect(wsUrl(rig.proxy.url, '/v1/realtime?model=voice&intent=realtime'), {
      protocols: [
        'realtime',
        'openai-organization.org-1',
        'openai-project.proj-2',
        'openai-beta.realtime-v1',
      ],
      headers: { 'x-apex-project': 'from-header' },
    });
    const events = await ask(client, 'Beta names please');
    expect(events.some((event) => event.type === 'response.text.delta')).toBe(true);
    const seen = upstream.handshakes[0]!;
    expect(seen.url).toBe('/v1/realtime?model=gpt-realtime-mini&intent=realtime');
    expect(seen.headers).toMatchObject({
      'openai-organization': 'org-1',
      'openai-project': 'proj-2',
      'openai-beta': 'realtime=v1',
    });
    expect(seen.headers['x-apex-project']).toBeUndefined();
    const [event] = await rig.waitForEvents(1);
    expect(event).toMatchObject({
      project: 'from-header',
      modelRequested: 'voice',
      modelServed: 'gpt-realtime-mini',
    });
    client.ws.close();
  });
});

describe('a realtime session whose key runs out of budget', () => {
  it('ends after the response that spent it, with an error event and a policy-violation close', async () => {
    await start();
    const { key, secret } = rig.proxy.keys.store.create({ name: 'voice bot', budgetDailyNanos: 1 });
    const client = await connect(url(), { headers: { authorization: `Bearer ${secret}` } });
    await ask(client, 'Hello there');
    const error = await client.next('error');
    expect(error).toMatchObject({ error: { code: 'budget_exceeded' } });
    expect(String((error.error as { message: string }).message)).toContain('Daily budget');
    expect(await client.closed).toEqual({ code: 1008, reason: 'budget_exceeded' });
    const [event] = await rig.waitForEvents(1);
    expect(event!.keyId).toBe(key.id);
    expect(rig.proxy.keys.access.overBudget(key, Date.now())).toMatchObject({ code: 'budget_exceeded' });
  });
});
