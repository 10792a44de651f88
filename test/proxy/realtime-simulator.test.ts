import { afterEach, describe, expect, it } from 'vitest';
import { INVALID_KEY_PREFIX } from '../../proxy/simulator/realtime.ts';
import {
  ask,
  connect,
  refusal,
  startObservedSimulator,
  wsUrl,
  type ObservedUpstream,
  type ServerEvent,
} from './realtime-support.ts';

let simulator: ObservedUpstream;
afterEach(async () => simulator?.close());

const auth = { authorization: 'Bearer sk-test-key' };

async function session(speed = 1000, path = '/v1/realtime?model=gpt-realtime') {
  simulator = await startObservedSimulator(speed);
  const client = await connect(wsUrl(simulator.url, path), { headers: auth });
  await client.next('session.created');
  return client;
}

function errorCode(event: ServerEvent): string {
  return (event.error as { code: string }).code;
}

describe('the simulator’s realtime endpoint', () => {
  it('refuses missing and invalid keys and unknown paths as OpenAI would', async () => {
    simulator = await startObservedSimulator();
    const missing = await refusal(connect(wsUrl(simulator.url, '/v1/realtime')));
    expect(missing.status).toBe(401);
    expect(missing.json().error.message).toContain("didn't provide an API key");
    const invalid = await refusal(
      connect(wsUrl(simulator.url, '/v1/realtime'), { headers: { 'api-key': `${INVALID_KEY_PREFIX}-x` } }),
    );
    expect(invalid.json().error.code).toBe('invalid_api_key');
    const path = await refusal(connect(wsUrl(simulator.url, '/v1/other'), { headers: auth }));
    expect(path.status).toBe(404);
    const azure = await connect(wsUrl(simulator.url, '/openai/v1/realtime?model=dep'), {
      protocols: ['realtime', 'openai-insecure-api-key.k-123456'],
    });
    expect(azure.ws.protocol).toBe('realtime');
    expect((await azure.next('session.created')).session).toMatchObject({ model: 'dep' });
    azure.ws.close();
  });

  it('answers client mistakes with error events and keeps the session open', async () => {
    const client = await session();
    client.ws.send('not json');
    expect(errorCode(await client.next('error'))).toBe('invalid_json');
    const before = client.events.length;
    client.send({ type: 'no.such.event', event_id: 'evt_1' });
    const unknown = await client.next('error', before);
    expect(unknown.error).toMatchObject({ code: 'invalid_value', event_id: 'evt_1' });
    const checks: Array<[object, string]> = [
      [{ type: 'input_audio_buffer.commit' }, 'input_audio_buffer_commit_empty'],
      [{ type: 'response.cancel' }, 'response_cancel_not_active'],
      [{ type: 'conversation.item.create', item: { type: 'message' } }, 'invalid_value'],
    ];
    for (const [event, code] of checks) {
      const from = client.events.length;
      client.send(event);
      expect(errorCode(await client.next('error', from))).toBe(code);
    }
    client.send({ type: 'input_audio_buffer.append', audio: 'AAAA' });
    client.send({ type: 'input_audio_buffer.clear' });
    await client.next('input_audio_buffer.cleared');
    client.ws.close();
  });

  it('refuses a second response while one is active, and reports a cancelled one with its usage', async () => {
    const client = await session(1);
    client.send({ type: 'session.update', session: { instructions: 'Be brief.', modalities: ['text'] } });
    await client.next('session.updated');
    client.send({ type: 'response.create' });
    await client.next('response.created');
    client.send({ type: 'response.create', event_id: 'evt_2' });
    client.send({ type: 'response.cancel' });
    const refused = await client.next('error');
    expect(refused.error).toMatchObject({
      code: 'conversation_already_has_active_response',
      event_id: 'evt_2',
    });
    const done = await client.next('response.done');
    expect(done.response).toMatchObject({ status: 'cancelled' });
    expect((done.response as { usage: { input_tokens: number } }).usage.input_tokens).toBeGreaterThan(0);
    client.ws.close();
  });

  it('counts audio items and caps the answer at max_output_tokens', async () => {
    const client = await session();
    client.send({
      type: 'conversation.item.create',
      item: {
        type: 'message',
        role: 'user',
        content: [{ type: 'input_audio', audio: Buffer.alloc(48_000).toString('base64') }],
      },
    });
    await client.next('conversation.item.done');
    const events = await ask(client, 'And text', { max_output_tokens: 3, output_modalities: ['text'] });
    const usage = (events.at(-1)!.response as { usage: Record<string, Record<string, number>> }).usage;
    expect(usage.input_token_details!.audio_tokens).toBe(10);
    expect(usage.output_token_details!.text_tokens).toBeLessThanOrEqual(3);
    client.ws.close();
  });
});
