import type { Assignment } from './assignment.ts';
import type {
  OptimizerSettings,
  OptimizersConfig,
  PartialSettings,
  ProofConfig,
  SettingsOverride,
} from '../config/optimizers-schema.ts';

/** What a request is matched on when choosing its settings. */
export interface SettingsSubject {
  keyId: string | null;
  route: string;
  model: string;
}

/**
 * Resolves the settings one request runs with: the base, then every matching override in config
 * order, then the experiment arm's changes. Control-group requests get null: no optimizer runs.
 * Results are memoized per (key, route, model, arm), which repeat on nearly every request.
 */
export class SettingsResolver {
  private readonly memo = new Map<string, OptimizerSettings>();
  private readonly optimizers: OptimizersConfig;
  private readonly proof: ProofConfig;

  constructor(optimizers: OptimizersConfig, proof: ProofConfig) {
    this.optimizers = optimizers;
    this.proof = proof;
  }

  resolve(subject: SettingsSubject, assignment: Assignment): OptimizerSettings | null {
    if (assignment.arm === 'control') return null;
    const memoKey = `${subject.keyId ?? ''}\u001f${subject.route}\u001f${subject.model}\u001f${assignment.arm}`;
    const cached = this.memo.get(memoKey);
    if (cached) return cached;
    let settings = this.optimizers.settings;
    for (const override of this.optimizers.overrides) {
      if (overrideMatches(override, subject)) settings = mergeSettings(settings, override.set);
    }
    const experiment = assignment.experiment;
    if (experiment) {
      const config = this.proof.experiments.find((candidate) => candidate.name === experiment.name);
      if (config) settings = mergeSettings(settings, config[experiment.side]);
    }
    if (this.memo.size > 10_000) this.memo.clear();
    this.memo.set(memoKey, settings);
    return settings;
  }
}

function overrideMatches(override: SettingsOverride, subject: SettingsSubject): boolean {
  const { keys, routes, models } = override.match;
  if (keys && !(subject.keyId !== null && keys.includes(subject.keyId))) return false;
  if (routes && !routes.includes(subject.route)) return false;
  if (models && !models.some((pattern) => globMatches(pattern, subject.model))) return false;
  return true;
}

export function globMatches(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`).test(value);
}

/** Deep merge of plain objects; arrays and scalars in the change replace the base's. */
export function mergeSettings(base: OptimizerSettings, change: PartialSettings): OptimizerSettings {
  return mergeObjects(base, change) as OptimizerSettings;
}

function mergeObjects(base: unknown, change: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(change)) return change === undefined ? base : change;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(change)) {
    if (value !== undefined) merged[key] = mergeObjects(base[key], value);
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
