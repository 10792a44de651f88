import type { ProviderInfo } from '../../../../contracts/control-api.ts';
import { Badge } from '../../components/Badge.tsx';
import { SdkSnippets } from '../../components/sdk/SdkSnippets.tsx';
import { exampleModel, flavorOf } from '../../components/sdk/snippets.ts';
import { ConnectionCheck } from './ConnectionCheck.tsx';
import { KeychainForm } from './KeychainForm.tsx';

function KeyStatus({ provider }: { provider: ProviderInfo }) {
  if (provider.keySource === 'caller') {
    return <span>Callers' own keys pass through to {provider.name}; Apex stores none.</span>;
  }
  return (
    <span>
      Set in the config
      {provider.keyHint ? (
        <>
          {' '}
          (ends in <code data-testid="provider-key-hint">{provider.keyHint}</code>)
        </>
      ) : null}
      ; callers' keys are replaced and never leave this machine.
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
      {provider.keySource === 'config' ? <ConnectionCheck provider={provider.name} /> : null}
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
