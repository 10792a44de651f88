import type { ProviderInfo } from '../../../../contracts/control-api.ts';
import { Badge } from '../../components/Badge.tsx';
import { SdkSnippets } from '../../components/sdk/SdkSnippets.tsx';
import { exampleModel, flavorOf } from '../../components/sdk/snippets.ts';
import { ConnectionCheck } from './ConnectionCheck.tsx';
import { KeychainForm } from './KeychainForm.tsx';
import { KEY_SOURCE_LABELS } from './key-source.ts';

function KeyHint({ provider }: { provider: ProviderInfo }) {
  if (!provider.keyHint) return null;
  return (
    <>
      {' '}
      ({provider.kind === 'bedrock' ? 'access key ID ends in' : 'ends in'}{' '}
      <code data-testid="provider-key-hint">{provider.keyHint}</code>)
    </>
  );
}

function KeyStatus({ provider }: { provider: ProviderInfo }) {
  const label = KEY_SOURCE_LABELS[provider.keySource];
  if (provider.keySource === 'caller') {
    return (
      <span>
        {label} pass through to {provider.name}; Apex stores none.
      </span>
    );
  }
  if (provider.keySource === 'aws-default-chain') {
    return (
      <span>
        {label}: environment, ~/.aws profiles, SSO or instance role where apex serve runs; callers' keys never
        reach AWS.
      </span>
    );
  }
  return (
    <span>
      {label}
      <KeyHint provider={provider} />; callers' keys are replaced and never leave this machine.
    </span>
  );
}

export function ProviderCard({ provider, proxyUrl }: { provider: ProviderInfo; proxyUrl?: string }) {
  const flavor = flavorOf(provider.kind);
  const headingId = `provider-${provider.name}`;
  return (
    <article
      className="card provider"
      aria-labelledby={headingId}
      data-testid="provider-card"
      data-provider={provider.name}
    >
      <div className="provider-head">
        <h2 id={headingId}>{provider.name}</h2>
        <Badge tone="accent">{provider.kind}</Badge>
      </div>
      <dl className="dl-grid provider-facts">
        <dt>Upstream</dt>
        <dd className="mono">{provider.baseUrl}</dd>
        <dt>Key</dt>
        <dd>
          <KeyStatus provider={provider} />
        </dd>
        <dt>Models</dt>
        <dd>
          <ul className="chips" aria-label={`Models served by ${provider.name}`}>
            {provider.models.map((model) => (
              <li key={model} className="chip mono">
                {model}
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      {provider.keySource === 'caller' ? null : <ConnectionCheck provider={provider.name} />}
      {window.apex ? <KeychainForm provider={provider.name} /> : null}
      {proxyUrl ? (
        <div className="stack" style={{ gap: 8 }}>
          <h3>Use it from your code</h3>
          <SdkSnippets
            flavor={flavor}
            proxyUrl={proxyUrl}
            model={exampleModel(flavor, provider.models)}
            name={provider.name}
          />
        </div>
      ) : null}
    </article>
  );
}
