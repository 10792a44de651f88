// A proxy wired to mock OpenAI and Anthropic upstreams, with the official SDKs
// pointed at it and every usage event captured, for the proxy's integration tests.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { UsageEvent } from '../../contracts/usage.ts';
import { parseConfigText } from '../../proxy/config/load.ts';
import { startProxy, type RunningProxy } from '../../proxy/index.ts';
import { anthropicHandler } from '../mocks/anthropic.ts';
import { openaiHandler } from '../mocks/openai.ts';
import { startMockUpstream, type MockHandler, type MockUpstream } from './mock-upstream.ts';

export const UPSTREAM_OPENAI_KEY = 'sk-upstream-openai-secret';
export const UPSTREAM_ANTHROPIC_KEY = 'sk-ant-upstream-secret';

export interface Harness {
  proxy: RunningProxy;
  openaiUpstream: MockUpstream;
  anthropicUpstream: MockUpstream;
  openai: OpenAI;
  anthropic: Anthropic;
  events: UsageEvent[];
  /** Resolves once `count` events have been recorded (events land after the response ends). */
  waitForEvents(count: number): Promise<UsageEvent[]>;
  logged: string[];
  close(): Promise<void>;
}

export function harnessConfig(openaiUrl: string, anthropicUrl: string, extraModels: object[] = []): object {
  return {
    providers: {
      openai: { kind: 'openai', baseUrl: `${openaiUrl}/v1`, apiKey: UPSTREAM_OPENAI_KEY },
      anthropic: { kind: 'anthropic', baseUrl: anthropicUrl, apiKey: UPSTREAM_ANTHROPIC_KEY },
      // No key: the caller's own key passes through, as for a self-hosted server.
      local: { kind: 'openai-compatible', baseUrl: `${openaiUrl}/v1` },
    },
    models: [
      ...extraModels,
      { name: 'gpt-*', provider: 'openai' },
      { name: 'o3', provider: 'openai' },
      { name: 'text-embedding-3-small', provider: 'openai' },
      { name: 'claude-*', provider: 'anthropic' },
      { name: 'local-llama', provider: 'local', model: 'llama3.1:8b' },
    ],
  };
}

export async function startHarness(
  options: {
    openai?: MockHandler;
    anthropic?: MockHandler;
    config?: (openaiUrl: string, anthropicUrl: string) => object;
    extraModels?: object[];
  } = {},
): Promise<Harness> {
  const openaiUpstream = await startMockUpstream(options.openai ?? openaiHandler());
  const anthropicUpstream = await startMockUpstream(options.anthropic ?? anthropicHandler());
  const config = parseConfigText(
    JSON.stringify(
      options.config
        ? options.config(openaiUpstream.url, anthropicUpstream.url)
        : harnessConfig(openaiUpstream.url, anthropicUpstream.url, options.extraModels),
    ),
    'harness.json',
  );
  const events: UsageEvent[] = [];
  const waiters: Array<() => void> = [];
  const logged: string[] = [];
  const proxy = await startProxy({
    config,
    port: 0,
    sink: {
      record(event) {
        events.push(event);
        for (const wake of waiters.splice(0)) wake();
      },
    },
    logger: {
      warn: (_details, message) => logged.push(message),
      error: (_details, message) => logged.push(message),
    },
  });
  const waitForEvents = async (count: number): Promise<UsageEvent[]> => {
    const deadline = Date.now() + 5000;
    while (events.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} usage events, saw ${events.length}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return events;
  };
  return {
    proxy,
    openaiUpstream,
    anthropicUpstream,
    openai: new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: 'sk-client-key', maxRetries: 0 }),
    anthropic: new Anthropic({ baseURL: proxy.url, apiKey: 'sk-ant-client-key', maxRetries: 0 }),
    events,
    waitForEvents,
    logged,
    async close() {
      await proxy.close(100);
      await openaiUpstream.close();
      await anthropicUpstream.close();
    },
  };
}
