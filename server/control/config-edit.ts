import { readFile, rename, writeFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { AddProviderRequest } from '../../contracts/control-api.ts';
import { parseConfigText } from '../../proxy/config/load.ts';
import type { ApexConfig } from '../../proxy/config/schema.ts';
import { ControlError } from './respond.ts';

/**
 * Adds a provider and its model routes to the YAML config, keeping the user's comments and layout,
 * validating the result exactly as `apex serve` will load it, and replacing the file atomically so
 * the running proxy's watcher never reads half a file. Returns the config as it will now load.
 */
export async function addProviderToConfig(
  file: string,
  request: AddProviderRequest,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ApexConfig> {
  const doc = parseDocument(await readFile(file, 'utf8'));
  if (doc.errors.length > 0)
    throw new ControlError(409, 'config_invalid', `${file} does not parse: ${doc.errors[0]?.message}`);
  if (doc.hasIn(['providers', request.name])) {
    throw new ControlError(
      409,
      'provider_exists',
      `a provider named "${request.name}" is already configured`,
    );
  }
  doc.setIn(['providers', request.name], doc.createNode(providerEntry(request)));
  for (const model of request.models)
    doc.addIn(['models'], doc.createNode({ name: model, provider: request.name }));
  const text = doc.toString();
  let config: ApexConfig;
  try {
    config = parseConfigText(text, file, env);
  } catch (err) {
    throw new ControlError(400, 'config_rejected', (err as Error).message);
  }
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text, { mode: 0o600 });
  await rename(temporary, file);
  return config;
}

const envReference = (name: string): string => `\${${name}}`;

/** Secrets go in as `${VAR}` references only; Bedrock gets its region and AWS keys, never an apiKey. */
function providerEntry(request: AddProviderRequest): Record<string, string> {
  const entry: Record<string, string> = { kind: request.kind };
  if (request.region) entry['region'] = request.region;
  if (request.baseUrl) entry['baseUrl'] = request.baseUrl;
  if (request.kind === 'bedrock') return Object.assign(entry, awsKeyReferences(request));
  if (request.apiKeyEnv) entry['apiKey'] = envReference(request.apiKeyEnv);
  return entry;
}

function awsKeyReferences(request: AddProviderRequest): Record<string, string> {
  const keys: Record<string, string> = {};
  if (request.accessKeyIdEnv) keys['accessKeyId'] = envReference(request.accessKeyIdEnv);
  if (request.secretAccessKeyEnv) keys['secretAccessKey'] = envReference(request.secretAccessKeyEnv);
  if (request.sessionTokenEnv) keys['sessionToken'] = envReference(request.sessionTokenEnv);
  return keys;
}
