// The soak's world: two fault upstreams (an OpenAI and an Anthropic deployment) failing in a
// realistic mix, and the Apex config in front of them, each model falling back to the other.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../../common/seeded-random.ts';
import {
  faultMix,
  startFaultUpstream,
  type Fault,
  type FaultPicker,
  type FaultUpstream,
  type MalformedVariant,
} from '../../test/support/fault-upstream.ts';

/** Upstream connections each provider may hold: the bound on what may stay pooled after the soak. */
export const CONNECTIONS_PER_PROVIDER = 96;

export const RESILIENCE = {
  maxRetries: 2,
  timeoutMs: 10_000,
  attemptTimeoutMs: 500,
  maxRetryAfterMs: 2_000,
  breaker: { cooldownMs: 2_000 },
};

/** Besides the random faults, each upstream is down (503) for OUTAGE_MS of every OUTAGE_EVERY_MS. */
export const OUTAGE_MS = 1_000;
export const OUTAGE_EVERY_MS = 20_000;

/** Share of upstream calls answered with each fault; the rest are answered normally. */
export const FAULT_SHARES: ReadonlyArray<readonly [string, number]> = [
  ['500 error', 0.02],
  ['429, retry-after 0-1 s', 0.01],
  ['reset mid-stream', 0.005],
  ['malformed SSE', 0.005],
  ['hang (beyond attemptTimeoutMs)', 0.002],
  ['reset before headers', 0.01],
];

function soakMix(seed: number): FaultPicker {
  const random = seededRandom(seed ^ 0x5eed);
  const variants: MalformedVariant[] = ['garbage', 'broken-json', 'truncated'];
  const pickers: Array<Fault | FaultPicker> = [
    { kind: 'error', status: 500 },
    () => ({ kind: 'rate-limit', retryAfterMs: Math.floor(random() * 1_000) }),
    () => ({ kind: 'reset-mid-stream', afterEvents: 2 + Math.floor(random() * 4) }),
    () => ({ kind: 'malformed', variant: variants[Math.floor(random() * variants.length)]! }),
    { kind: 'hang' },
    { kind: 'reset' },
  ];
  return faultMix(
    seed,
    FAULT_SHARES.map(([, share], index) => [pickers[index]!, share] as const),
  );
}

/** The mix, except during the upstream's outage windows (offset so both are never down at once). */
function withOutages(picker: FaultPicker, offsetMs: number): FaultPicker {
  const down: Fault = { kind: 'error', status: 503 };
  return (request) => ((Date.now() + offsetMs) % OUTAGE_EVERY_MS < OUTAGE_MS ? down : picker(request));
}

export interface SoakWorld {
  upstreams: FaultUpstream[];
  configFile: string;
  openSockets(): number;
  close(): Promise<void>;
}

export async function startWorld(dir: string, seed: number): Promise<SoakWorld> {
  const half = OUTAGE_EVERY_MS / 2;
  const openai = await startFaultUpstream({ record: false, default: withOutages(soakMix(seed), 0) });
  const anthropic = await startFaultUpstream({
    record: false,
    default: withOutages(soakMix(seed + 1), half),
  });
  const provider = { connections: CONNECTIONS_PER_PROVIDER };
  const config = {
    providers: {
      openai: { kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'sk-soak-openai', ...provider },
      anthropic: { kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'sk-ant-soak', ...provider },
    },
    models: [
      { name: 'gpt-main', provider: 'openai', model: 'gpt-4o-mini', fallbacks: ['claude-backup'] },
      { name: 'claude-backup', provider: 'anthropic', model: 'claude-haiku-4-5' },
      { name: 'claude-main', provider: 'anthropic', model: 'claude-sonnet-4-6', fallbacks: ['gpt-backup'] },
      { name: 'gpt-backup', provider: 'openai', model: 'gpt-4.1-mini' },
    ],
    resilience: RESILIENCE,
  };
  const configFile = join(dir, 'apex-soak.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  const upstreams = [openai, anthropic];
  return {
    upstreams,
    configFile,
    openSockets: () => upstreams.reduce((sum, upstream) => sum + upstream.openSockets(), 0),
    async close() {
      for (const upstream of upstreams) await upstream.close();
    },
  };
}
