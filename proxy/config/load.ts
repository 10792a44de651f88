import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError, substituteEnvDeep } from './env.ts';
import { configSchema, type ApexConfig } from './schema.ts';

export interface LoadedConfig {
  config: ApexConfig;
  /** Absolute path of the file, for resolving relative paths inside it and for watching. */
  file: string;
}

/** Reads, substitutes `${ENV}`, parses (YAML is a superset of JSON) and validates a config file. */
export async function loadConfigFile(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LoadedConfig> {
  const absolute = resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config ${absolute}: ${(error as Error).message}`);
  }
  return { config: parseConfigText(text, absolute, env), file: absolute };
}

export function parseConfigText(
  text: string,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): ApexConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`${file}: not valid YAML or JSON: ${(error as Error).message}`);
  }
  try {
    raw = substituteEnvDeep(raw, env);
  } catch (error) {
    throw new ConfigError(`${file}: ${(error as Error).message}`);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`${file}: invalid config:\n${formatIssues(parsed.error)}`);
  return resolveRelativePaths(parsed.data, dirname(file));
}

function resolveRelativePaths(config: ApexConfig, baseDir: string): ApexConfig {
  if (!config.prices.litellm) return config;
  return { ...config, prices: { ...config.prices, litellm: resolve(baseDir, config.prices.litellm) } };
}

function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `  - ${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('\n');
}
