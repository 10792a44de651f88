import { parseConfigText } from '../proxy/config/load.ts';
import type { ApexConfig } from '../proxy/config/schema.ts';
import { startSimulator } from '../proxy/simulator/server.ts';
import { startDemoTraffic } from '../proxy/simulator/traffic.ts';

export interface DemoUpstream {
  config: ApexConfig;
  close(): Promise<void>;
}

/**
 * With no config, Apex serves its simulated providers so a first run shows
 * realistically priced traffic without any API key. The config is the same
 * shape a user writes, so the demo exercises the real proxy path end to end.
 */
export async function startDemoUpstream(): Promise<DemoUpstream> {
  const simulator = await startSimulator({ port: 0 });
  const config = parseConfigText(
    JSON.stringify({
      providers: {
        openai: { kind: 'openai', baseUrl: `${simulator.url}/v1`, apiKey: 'simulated' },
        anthropic: { kind: 'anthropic', baseUrl: simulator.url, apiKey: 'simulated' },
      },
      models: [
        { name: 'gpt-*', provider: 'openai' },
        { name: 'o4-mini', provider: 'openai' },
        { name: 'text-embedding-3-small', provider: 'openai' },
        { name: 'claude-*', provider: 'anthropic' },
        ...DEMO_LISTED_MODELS.map((name) => ({
          name,
          provider: name.startsWith('claude') ? 'anthropic' : 'openai',
        })),
      ],
      optimizers: DEMO_OPTIMIZERS,
    }),
    '(built-in demo config)',
  );
  return { config, close: () => simulator.close() };
}

/**
 * What a team would switch on for the demo apps, on top of the defaults (exact cache, lossless
 * compression, provider caching): the one-word classifier routed to small models, and the
 * summarizer's answers reused although it samples, since a summary of the same document will do.
 */
export const DEMO_OPTIMIZERS = {
  settings: {
    routing: {
      enabled: true,
      rules: [
        {
          name: 'classifier-openai',
          match: { routes: ['classifier'], models: ['gpt-4.1'] },
          to: 'gpt-4.1-mini',
        },
        {
          name: 'classifier-anthropic',
          match: { routes: ['classifier'], models: ['claude-opus-4-5'] },
          to: 'claude-haiku-4-5',
        },
      ],
    },
  },
  overrides: [{ match: { routes: ['summarizer'] }, set: { exactCache: { cacheSampled: true } } }],
};

/** Listed explicitly so GET /v1/models shows them (patterns are not listable). */
const DEMO_LISTED_MODELS = [
  'gpt-4o',
  'gpt-4o-mini',
  'gpt-4.1',
  'gpt-4.1-mini',
  'gpt-5',
  'gpt-5-mini',
  'claude-sonnet-4-5',
  'claude-haiku-4-5',
  'claude-opus-4-5',
];

export { startDemoTraffic };
