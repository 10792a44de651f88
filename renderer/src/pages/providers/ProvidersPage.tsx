import { useProviders, useStatus } from '../../api/hooks.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { CardSkeleton } from '../../components/Skeleton.tsx';
import { EmptyState, ErrorState } from '../../components/States.tsx';
import { KeyIcon, LockIcon } from '../../components/icons.tsx';
import { AddProviderForm } from './AddProviderForm.tsx';
import { ProviderCard } from './ProviderCard.tsx';
import '../../styles/providers.css';

function BrowserKeysNote() {
  return (
    <aside className="callout keys-note" aria-labelledby="keys-note-heading" data-testid="keys-browser-note">
      <span className="state-icon">
        <LockIcon />
      </span>
      <div className="stack" style={{ gap: 4 }}>
        <h2 id="keys-note-heading" className="keys-note-title">
          Provider keys live in your config, never in this page
        </h2>
        <p>
          Reference them from the environment in the config file, for example{' '}
          <code>{'apiKey: ${OPENAI_API_KEY}'}</code>. Apex sends a key only to its own provider and shows at
          most its last four characters. In the desktop app you can keep keys in the OS keychain instead.
        </p>
      </div>
    </aside>
  );
}

function ProviderList() {
  const providers = useProviders();
  const status = useStatus();
  if (providers.isPending) return <CardSkeleton label="Loading providers" height={180} />;
  if (providers.isError) {
    return (
      <ErrorState
        title="Could not load providers"
        error={providers.error}
        onRetry={() => void providers.refetch()}
        retrying={providers.isFetching}
      />
    );
  }
  if (providers.data.providers.length === 0) {
    return (
      <EmptyState icon={<KeyIcon />} title="No providers configured" testId="providers-empty">
        <p>
          Add providers to the config file (see <code>resources/config/apex.example.yaml</code>) and Apex
          picks them up without a restart.
        </p>
      </EmptyState>
    );
  }
  return (
    <div className="stack" data-testid="provider-list">
      {providers.data.providers.map((provider) => (
        <ProviderCard key={provider.name} provider={provider} proxyUrl={status.data?.proxyUrl} />
      ))}
    </div>
  );
}

export default function ProvidersPage() {
  const status = useStatus();
  return (
    <>
      <PageHeader
        title="Providers & keys"
        description={
          <>
            Where Apex forwards each model, and how it authenticates. Point your SDK at{' '}
            <code>{status.data?.proxyUrl ?? 'the proxy'}</code>; nothing else in your code changes.
          </>
        }
      />
      <div className="stack" data-testid="providers-page">
        {window.apex ? null : <BrowserKeysNote />}
        <ProviderList />
        {status.data && !status.data.demo ? <AddProviderForm /> : null}
      </div>
    </>
  );
}
