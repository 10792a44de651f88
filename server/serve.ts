import { dirname, resolve } from 'node:path';
import type { UsageEvent, UsageSink } from '../contracts/usage.ts';
import { UsageWriter } from '../analytics/writer/usage-writer.ts';
import { loadConfigFile } from '../proxy/config/load.ts';
import { watchConfig, type ConfigWatcher } from '../proxy/config/watch.ts';
import { startProxy, type RunningProxy } from '../proxy/index.ts';
import { loadPriceBook } from '../pricing/catalog.ts';
import { startControlServer, type RunningControlServer } from './control/control-server.ts';
import { LiveHub } from './control/live.ts';
import { describeProviders } from './control/providers.ts';
import { createSessionToken } from './control/security.ts';
import { startDemoTraffic, startDemoUpstream, type DemoUpstream } from './demo.ts';
import { formatRequestLine } from './format.ts';
import { createLogger } from './logger.ts';
import { storeFile } from './paths.ts';
import { openStore } from '../analytics/store/db.ts';
import { spendSince, type SpendSeed } from '../proxy/keys/spend-ledger.ts';

import packageJson from '../package.json' with { type: 'json' };

const { version } = packageJson;

export interface ServeOptions {
  port: number;
  host: string;
  dataDir: string;
  configFile?: string | undefined;
  /** In demo mode, send simulated traffic through the proxy at this rate (0 = none). */
  demoRate: number;
  logRequests: boolean;
  logLevel: string;
  /** The control API and dashboard (0 picks a free port; null turns it off). */
  controlPort?: number | null;
  /** Fixed session token (tests); a random one otherwise. */
  controlToken?: string;
  /** Where human-readable lines go (stdout by default). */
  print?: (line: string) => void;
}

export interface RunningServe {
  proxy: RunningProxy;
  control: RunningControlServer | null;
  writer: UsageWriter;
  demo: boolean;
  dbFile: string;
  close(): Promise<void>;
}

export async function serve(options: ServeOptions): Promise<RunningServe> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const logger = createLogger(options.logLevel);
  const demoUpstream = options.configFile ? null : await startDemoUpstream();
  const config = options.configFile
    ? (await loadConfigFile(options.configFile)).config
    : demoUpstream!.config;
  const dbFile = storeFile(options.dataDir, demoUpstream !== null);
  const writer = await UsageWriter.start({
    dataDir: options.dataDir,
    dbFile,
    onError: (error) => logger.error({ err: error }, 'usage writer problem'),
  });
  const hub = new LiveHub();
  const recorded = teeSink(writer, (event) => hub.record(event));
  const sink = options.logRequests ? teeSink(recorded, (event) => print(formatRequestLine(event))) : recorded;
  const proxy = await startProxy({
    config,
    sink,
    logger,
    host: options.host,
    port: options.port,
    extraMetrics: () => writerMetrics(writer),
    stateDir: dirname(dbFile),
    spendSeed: readSpend(dbFile),
  });
  const watcher = options.configFile ? watchAndReload(options.configFile, proxy, logger) : null;
  const traffic =
    demoUpstream && options.demoRate > 0
      ? startDemoTraffic({ proxyUrl: proxy.url, requestsPerSecond: options.demoRate })
      : null;
  const control = await startControl(options, { proxy, hub, dbFile, demo: demoUpstream !== null });
  printBanner(print, proxy, dbFile, demoUpstream, options);
  if (control) print(`  dashboard: ${control.dashboardUrl}`);
  return {
    proxy,
    control,
    writer,
    demo: demoUpstream !== null,
    dbFile,
    async close() {
      watcher?.close();
      await control?.close();
      await traffic?.stop();
      await proxy.close();
      await writer.close();
      await closeDemo(demoUpstream);
      logger.flush();
    },
  };
}

/** Budgets carry over a restart: what each virtual key spent this day and month so far. */
function readSpend(dbFile: string): SpendSeed {
  const db = openStore(dbFile, { readonly: true });
  try {
    return spendSince(db, Date.now());
  } finally {
    db.close();
  }
}

async function startControl(
  options: ServeOptions,
  running: { proxy: RunningProxy; hub: LiveHub; dbFile: string; demo: boolean },
): Promise<RunningControlServer | null> {
  if (options.controlPort === null) return null;
  return startControlServer({
    host: options.host,
    port: options.controlPort ?? 4100,
    token: options.controlToken ?? createSessionToken(),
    deps: {
      status: {
        version,
        demo: running.demo,
        demoRate: running.demo ? options.demoRate : 0,
        proxyUrl: running.proxy.url,
        startedAt: new Date().toISOString(),
      },
      usageDbFile: running.dbFile,
      dataDir: options.dataDir,
      prices: await loadPriceBook(),
      hub: running.hub,
      providers: () => describeProviders(running.proxy.runtime().config),
      providerConfig: (name) => running.proxy.runtime().config.providers[name],
      configFile: options.configFile ? resolve(options.configFile) : null,
      keys: running.proxy.keys,
    },
  });
}

function watchAndReload(
  file: string,
  proxy: RunningProxy,
  logger: ReturnType<typeof createLogger>,
): ConfigWatcher {
  return watchConfig(
    file,
    async ({ config }) => {
      await proxy.reload(config);
      logger.info({ file, models: config.models.length }, 'config reloaded');
    },
    (error) => logger.error({ err: error.message }, 'config not reloaded; the previous one stays in force'),
  );
}

function teeSink(primary: UsageSink, also: (event: UsageEvent) => void): UsageSink {
  return {
    record(event) {
      primary.record(event);
      also(event);
    },
  };
}

function writerMetrics(writer: UsageWriter): string {
  const stats = writer.stats();
  const lines = [
    ['apex_usage_events_pending', 'gauge', 'Usage events recorded but not yet committed', stats.pending],
    ['apex_usage_events_committed_total', 'counter', 'Usage events committed to the store', stats.committed],
    ['apex_usage_events_spilled_total', 'counter', 'Usage events written to the spill file', stats.spilled],
  ] as const;
  return lines
    .map(([name, type, help, value]) => `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name} ${value}\n`)
    .join('');
}

async function closeDemo(demo: DemoUpstream | null): Promise<void> {
  if (demo) await demo.close();
}

function printBanner(
  print: (line: string) => void,
  proxy: RunningProxy,
  dbFile: string,
  demo: DemoUpstream | null,
  options: ServeOptions,
): void {
  print(`Netra Apex proxy listening on ${proxy.url}`);
  if (demo) {
    const traffic = options.demoRate > 0 ? `, demo traffic at ${options.demoRate} req/s` : '';
    print(`  mode:      demo (no --config): simulated OpenAI and Anthropic models${traffic}`);
  } else {
    print(`  config:    ${options.configFile} (reloaded when it changes)`);
  }
  print(`  usage log: ${dbFile}`);
  print(`  OpenAI SDK:    base_url="${proxy.url}/v1"`);
  print(`  Anthropic SDK: base_url="${proxy.url}"`);
  print(`  metrics:   ${proxy.url}/metrics   health: ${proxy.url}/healthz`);
}
