// Regressions: each case is a proxy bug the fault suite found (fixed in proxy/forward/taps.ts,
// translated.ts and upstream-call.ts); the notes say what went wrong before the fix.
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { hello, startFaultHarness, type FaultHarness } from '../support/fault-harness.ts';

let h: FaultHarness;
afterEach(async () => h?.close());

const ANTHROPIC_HEADERS = { 'anthropic-version': '2023-06-01' };

describe('fault-suite regressions', () => {
  /**
   * An Anthropic stream that ends before its message_delta (cut off, or that event unreadable) is
   * billed with message_start's placeholder output_tokens (1) and errorClass null: the usage event
   * neither has the real count nor says it is missing. proxy/forward/taps.ts anthropicTap().usage()
   * returns whatever message_start said, and forward.ts relayResponse only flags 'usage_missing'
   * when there is no usage at all.
   */
  it.each(['truncated', 'broken-json', 'garbage'] as const)(
    'flags the usage of an Anthropic stream whose message_delta is lost (%s)',
    async (variant) => {
      h = await startFaultHarness();
      h.anthropicUp.script({ kind: 'malformed', variant });
      const body = { model: 'claude-haiku-4-5', max_tokens: 20, messages: hello, stream: true };
      const response = await h.post('/v1/messages', body, ANTHROPIC_HEADERS);
      await response.text();
      const [event] = await h.waitForEvents(1);
      expect(event!.outputTokens).toBe(1);
      expect(event!.errorClass).not.toBeNull();
    },
  );

  /**
   * An OpenAI client served from an Anthropic stream that ends without message_stop gets a stream
   * that just stops: no finish_reason, no [DONE], no error, so the SDK's iterator completes as if
   * the answer were whole. proxy/forward/translated.ts relayTranslatedStream never checks that the
   * decoder produced an 'end' event before the upstream body ended; it should end the client's
   * stream with inBandError() and errorClass 'upstream_stream_interrupted', as it does on a reset.
   */
  it('ends a translated stream whose upstream stopped early with an error the SDK raises', async () => {
    h = await startFaultHarness();
    h.anthropicUp.script({ kind: 'malformed', variant: 'truncated' });
    const stream = await h.openai.chat.completions.create({
      model: 'claude-haiku-4-5',
      messages: hello,
      stream: true,
    });
    let failure: unknown = null;
    try {
      for await (const chunk of stream) void chunk;
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    const [event] = await h.waitForEvents(1);
    expect(event!.errorClass).toBe('upstream_stream_interrupted');
  });

  /**
   * Minor. Apex adds stream_options.include_usage for a client that did not ask, and withholds the
   * usage chunk that comes back; but when that chunk is unreadable the tap cannot tell it is the
   * usage chunk, and relays it (proxy/forward/taps.ts openAIChunkTap: `chunk?.choices` is
   * undefined for unparseable data, so onEvent returns false). The client's SDK then throws on a
   * chunk it never asked for, where a direct call would have finished cleanly.
   */
  it('does not relay a broken usage chunk that only Apex asked for', async () => {
    h = await startFaultHarness();
    h.openaiUp.script({ kind: 'malformed', variant: 'broken-json' });
    const stream = await h.openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: hello,
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Hello from the mock upstream.');
  });

  /**
   * A request whose primary's breaker is open goes straight to the fallback in one call, so
   * proxy/forward/upstream-call.ts attemptHeaders() (`if (exchange.attempts <= 1 ...) return {}`)
   * sends no x-apex-served-by: the client asked for gpt-main and cannot tell from the headers that
   * Anthropic answered. The header should be sent whenever the serving deployment is not the
   * requested one, whatever the number of calls.
   */
  it('names the fallback in x-apex-served-by when an open breaker skipped the primary', async () => {
    h = await startFaultHarness({
      models: [
        { name: 'gpt-main', provider: 'openai', model: 'gpt-4o-mini', fallbacks: ['claude-backup'] },
        { name: 'claude-backup', provider: 'anthropic', model: 'claude-haiku-4-5' },
      ],
      resilience: { maxRetries: 1, breaker: { consecutiveFailures: 2, cooldownMs: 60_000 } },
    });
    h.openaiUp.setDefault({ kind: 'error', status: 500 });
    await h.openai.chat.completions.create({ model: 'gpt-main', messages: hello });
    expect(h.openaiUp.count()).toBe(2);
    const { response } = await h.openai.chat.completions
      .create({ model: 'gpt-main', messages: hello })
      .withResponse();
    expect(h.openaiUp.count()).toBe(2);
    expect(response.headers.get('x-apex-served-by')).toBe('anthropic/claude-haiku-4-5');
  });
});
