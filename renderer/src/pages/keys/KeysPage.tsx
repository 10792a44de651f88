import { useState } from 'react';
import type { VirtualKeyInfo } from '../../../../contracts/virtual-keys.ts';
import { useStatus } from '../../api/hooks.ts';
import { useKeys } from '../../api/keys.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { CardSkeleton } from '../../components/Skeleton.tsx';
import { ErrorState } from '../../components/States.tsx';
import { CreateKeyCard } from './CreateKeyCard.tsx';
import { EditKeyDialog } from './EditKeyDialog.tsx';
import { KeysEmpty } from './KeysEmpty.tsx';
import { KeyTable } from './KeyTable.tsx';
import { RevokeDialog } from './RevokeDialog.tsx';
import './keys.css';

type Dialog = { kind: 'edit' | 'revoke'; key: VirtualKeyInfo } | null;

function KeyList({ proxyUrl, onOpen }: { proxyUrl?: string; onOpen: (dialog: Dialog) => void }) {
  const keys = useKeys();
  if (keys.isPending) return <CardSkeleton label="Loading keys" height={160} />;
  if (keys.isError) {
    return (
      <ErrorState
        title="Could not load the keys"
        error={keys.error}
        onRetry={() => void keys.refetch()}
        retrying={keys.isFetching}
      />
    );
  }
  if (keys.data.keys.length === 0) return <KeysEmpty proxyUrl={proxyUrl} />;
  return (
    <KeyTable
      keys={keys.data.keys}
      onEdit={(key) => onOpen({ kind: 'edit', key })}
      onRevoke={(key) => onOpen({ kind: 'revoke', key })}
    />
  );
}

export default function KeysPage() {
  const status = useStatus();
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => setDialog(null);
  const proxyUrl = status.data?.proxyUrl;
  return (
    <>
      <PageHeader
        title="Virtual keys"
        description="One key per person or app, with its own budgets, rate limits and models. Spend is per UTC day and month."
      />
      <div className="stack" data-testid="keys-page">
        <KeyList proxyUrl={proxyUrl} onOpen={setDialog} />
        <CreateKeyCard proxyUrl={proxyUrl} />
      </div>
      {dialog?.kind === 'edit' ? (
        <EditKeyDialog key={dialog.key.id} keyInfo={dialog.key} onClose={close} />
      ) : null}
      {dialog?.kind === 'revoke' ? (
        <RevokeDialog key={dialog.key.id} keyInfo={dialog.key} onClose={close} />
      ) : null}
    </>
  );
}
