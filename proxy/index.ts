import type { AddressInfo } from 'node:net';
import type { UsageSink } from '../contracts/usage.ts';
import type { ApexConfig } from './config/schema.ts';
import type { Logger } from './forward/forward.ts';
import { ProxyMetrics } from './metrics.ts';
import { buildRuntime, type ProxyRuntime } from './runtime.ts';
import { createProxyServer } from './server.ts';
import { UpstreamAgents } from './upstream/agents.ts';
import { OptimizerState } from './optimizers/state.ts';
import { DeferredCoordinator } from './batch/coordinator.ts';
import { DeferredStore } from './batch/deferred-store.ts';
import { ClassifierSaver, loadClassifier } from './optimizers/routing/classifier-file.ts';
import { join } from 'node:path';
import { KeyAccess } from './keys/access.ts';
import { VirtualKeyStore } from './keys/key-store.ts';
import { SpendLedger, type SpendSeed } from './keys/spend-ledger.ts';

export interface StartProxyOptions {
  config: ApexConfig;
  sink: UsageSink;
  logger: Logger;
  /** Loopback unless told otherwise. */
  host?: string;
  /** 0 picks a free port (tests). */
  port?: number;
  catalogFile?: string;
  extraMetrics?: () => string;
  /**
   * Where state that must survive a restart lives: deferred (batch) requests and the routing
   * classifier's learned weights. Omitted (tests, simulations): kept in memory only.
   */
  stateDir?: string;
  /** Timestamps for usage events (default Date.now); the savings simulation runs a month in minutes. */
  clock?: () => number;
  /** What virtual keys have spent this day and month, from the usage store (spendSince). */
  spendSeed?: SpendSeed;
}

export interface RunningProxy {
  readonly url: string;
  readonly port: number;
  readonly metrics: ProxyMetrics;
  readonly optimizers: OptimizerState;
  readonly deferred: DeferredCoordinator;
  /** Virtual keys: the store the control API edits and the checks every request passes. */
  readonly keys: { store: VirtualKeyStore; access: KeyAccess };
  runtime(): ProxyRuntime;
  /** Applies a new config to every request that starts after it resolves. */
  reload(config: ApexConfig): Promise<void>;
  /** Stops accepting, lets requests in flight finish (up to graceMs), then closes upstream connections. */
  close(graceMs?: number): Promise<void>;
}

export async function startProxy(options: StartProxyOptions): Promise<RunningProxy> {
  const agents = new UpstreamAgents();
  const metrics = new ProxyMetrics();
  metrics.failover.watch(() => runtime.failover.breakers);
  const runtimeOptions = { catalogFile: options.catalogFile };
  let runtime = await buildRuntime(options.config, agents, runtimeOptions);
  const { optimizers, saver } = await openOptimizers(options);
  const { deferredStore, deferred } = openDeferred(options, () => runtime);
  const keys = openKeys(options);
  const server = createProxyServer({
    keyAccess: keys.access,
    optimizers,
    deferred,
    deferredStore,
    clock: options.clock,
    runtime: () => runtime,
    sink: options.sink,
    metrics,
    logger: options.logger,
    extraMetrics: options.extraMetrics,
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4000, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    metrics,
    optimizers,
    deferred,
    keys,
    runtime: () => runtime,
    async reload(config) {
      await optimizers.prepare(config);
      runtime = await buildRuntime(config, agents, runtimeOptions);
      keys.access.requireVirtualKeys = config.server.requireVirtualKeys;
    },
    async close(graceMs = 10_000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(timer);
      await deferred.close();
      deferredStore.close();
      keys.store.close();
      await saver?.close();
      agents.close();
    },
  };
}

/** Optimizer state, with the classifier's learned weights restored and saved when there is a state dir. */
async function openOptimizers(
  options: StartProxyOptions,
): Promise<{ optimizers: OptimizerState; saver: ClassifierSaver | null }> {
  const file = options.stateDir ? join(options.stateDir, 'classifier.json') : null;
  const learned = file ? loadClassifier(file) : { classifier: undefined, problem: null };
  if (learned.problem) options.logger.warn({}, learned.problem);
  const optimizers = new OptimizerState(options.config.optimizers, learned.classifier);
  const saver = file ? new ClassifierSaver(file, optimizers.classifier) : null;
  saver?.start();
  await optimizers.prepare(options.config);
  if (optimizers.semanticProblem)
    options.logger.warn({}, `semantic cache off: ${optimizers.semanticProblem}`);
  return { optimizers, saver };
}

/** Requests marked non-urgent wait in <stateDir>/deferred.db for the providers' batch APIs. */
function openDeferred(
  options: StartProxyOptions,
  runtime: () => ProxyRuntime,
): { deferredStore: DeferredStore; deferred: DeferredCoordinator } {
  const deferredStore = new DeferredStore(
    options.stateDir ? join(options.stateDir, 'deferred.db') : ':memory:',
  );
  const deferred = new DeferredCoordinator({
    store: deferredStore,
    runtime,
    sink: options.sink,
    logger: options.logger,
    clock: options.clock,
  });
  deferred.start();
  return { deferredStore, deferred };
}

/** Keys live beside the deferred requests; their spend so far is seeded before traffic flows. */
function openKeys(options: StartProxyOptions): { store: VirtualKeyStore; access: KeyAccess } {
  const store = new VirtualKeyStore(options.stateDir ? join(options.stateDir, 'keys.db') : ':memory:');
  const ledger = new SpendLedger();
  if (options.spendSeed) ledger.seed(options.spendSeed);
  const access = new KeyAccess({
    store,
    ledger,
    requireVirtualKeys: options.config.server.requireVirtualKeys,
    clock: options.clock,
  });
  return { store, access };
}

export type { ApexConfig } from './config/schema.ts';
export { loadConfigFile, parseConfigText } from './config/load.ts';
export { watchConfig } from './config/watch.ts';
