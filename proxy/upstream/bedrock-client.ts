/**
 * One BedrockRuntimeClient per distinct provider config, reused across requests and reloads: its
 * keep-alive sockets and its resolved (and cached) credentials are what make the next call cheap.
 * The SDK signs with SigV4 from the configured keys or its default chain (environment, shared
 * profiles, SSO, web identity, container and instance roles).
 */
import { createHash } from 'node:crypto';
import { BedrockRuntimeClient, type BedrockRuntimeClientConfig } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { ProviderConfig } from '../config/schema.ts';

/** The public endpoint of a region; anything else configured as baseUrl is an override. */
export function defaultBedrockEndpoint(region: string): string {
  return `https://bedrock-runtime.${region}.amazonaws.com`;
}

/**
 * HTTP/1.1 with a keep-alive pool sized like the other providers' (the SDK's default for this
 * client is HTTP/2, which a local mock or a corporate proxy may not speak). Retries are Apex's own
 * (resilience config), so the SDK makes exactly one attempt.
 */
export function bedrockClientConfig(provider: ProviderConfig): BedrockRuntimeClientConfig {
  const region = provider.region ?? '';
  const agent = { keepAlive: true, maxSockets: provider.connections };
  const config: BedrockRuntimeClientConfig = {
    region,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: provider.connectTimeoutMs,
      socketTimeout: provider.idleTimeoutMs,
      httpAgent: agent,
      httpsAgent: agent,
    }),
  };
  if (provider.baseUrl !== defaultBedrockEndpoint(region)) config.endpoint = provider.baseUrl;
  if (provider.accessKeyId && provider.secretAccessKey) {
    config.credentials = {
      accessKeyId: provider.accessKeyId,
      secretAccessKey: provider.secretAccessKey,
      ...(provider.sessionToken ? { sessionToken: provider.sessionToken } : {}),
    };
  }
  return config;
}

interface Entry {
  client: BedrockRuntimeClient;
  inFlight: number;
  retired: boolean;
}

/** Hashed so the map's keys hold no copy of a secret. */
export function clientKey(provider: ProviderConfig): string {
  const { region, baseUrl, accessKeyId, secretAccessKey, sessionToken } = provider;
  const { connections, connectTimeoutMs, idleTimeoutMs } = provider;
  const fields = [region, baseUrl, accessKeyId, secretAccessKey, sessionToken];
  const text = JSON.stringify([...fields, connections, connectTimeoutMs, idleTimeoutMs]);
  return createHash('sha256').update(text).digest('hex');
}

export class BedrockClients {
  private readonly entries = new Map<string, Entry>();

  /** The client for a provider, with a lease to hand back once its call has finished. */
  acquire(provider: ProviderConfig, key: string): { client: BedrockRuntimeClient; release: () => void } {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = {
        client: new BedrockRuntimeClient(bedrockClientConfig(provider)),
        inFlight: 0,
        retired: false,
      };
      this.entries.set(key, entry);
    }
    const leased = entry;
    leased.inFlight++;
    let released = false;
    return {
      client: leased.client,
      release: () => {
        if (released) return;
        released = true;
        leased.inFlight--;
        if (leased.retired && leased.inFlight === 0) leased.client.destroy();
      },
    };
  }

  /** Closes the clients no provider uses any more, each once its calls in flight have finished. */
  retainOnly(providers: Iterable<ProviderConfig>): void {
    const keep = new Set([...providers].filter((p) => p.kind === 'bedrock').map(clientKey));
    for (const [key, entry] of this.entries) {
      if (keep.has(key)) continue;
      this.entries.delete(key);
      entry.retired = true;
      if (entry.inFlight === 0) entry.client.destroy();
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
