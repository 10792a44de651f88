import { useDeferredValue, useState } from 'react';
import { useStatus } from '../../api/hooks.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Skeleton } from '../../components/Skeleton.tsx';
import { EmptyState, ErrorState } from '../../components/States.tsx';
import { LiveIcon } from '../../components/icons.tsx';
import { formatCount } from '../../format.ts';
import { LiveTable } from './LiveTable.tsx';
import { LiveToolbar } from './LiveToolbar.tsx';
import { filterRows, MAX_ROWS, useLiveRows, type StatusFilter } from './useLiveRows.ts';
import '../../styles/live.css';

function NoRequests({ proxyUrl }: { proxyUrl?: string }) {
  return (
    <EmptyState
      icon={<LiveIcon />}
      title="Waiting for requests"
      testId="live-empty"
      actions={
        <a className="btn" href="#/welcome">
          Show me how
        </a>
      }
    >
      <p>
        Requests through <code>{proxyUrl ?? 'the Apex proxy'}</code> appear here the moment they finish, with
        their tokens, cost and latency.
      </p>
    </EmptyState>
  );
}

export default function LivePage() {
  const live = useLiveRows();
  const status = useStatus();
  const [text, setText] = useState('');
  const [statusFilter, setStatusFilter] = useState<StatusFilter>('all');
  const deferredText = useDeferredValue(text);
  const shown = filterRows(live.rows, deferredText, statusFilter);
  const filtered = deferredText.trim() !== '' || statusFilter !== 'all';
  const caption = `Recent requests, newest first: ${formatCount(shown.length)}${
    filtered ? ` of ${formatCount(live.rows.length)}` : ''
  } shown`;

  return (
    <>
      <PageHeader
        title="Live"
        description={`Every request through the proxy as it happens, newest first (the latest ${MAX_ROWS} are kept).`}
      />
      <div className="card live-card" data-testid="live-page">
        <LiveToolbar
          text={text}
          onText={setText}
          status={statusFilter}
          onStatus={setStatusFilter}
          paused={live.paused}
          buffered={live.buffered}
          onTogglePause={live.togglePause}
          connection={live.connection}
        />
        {live.history.isPending ? <Skeleton lines={8} height={20} label="Loading recent requests" /> : null}
        {live.history.isError ? (
          <ErrorState
            title="Could not load recent requests"
            error={live.history.error}
            onRetry={() => void live.history.refetch()}
            retrying={live.history.isFetching}
          />
        ) : null}
        {!live.history.isPending && live.rows.length === 0 ? (
          <NoRequests proxyUrl={status.data?.proxyUrl} />
        ) : null}
        {live.rows.length > 0 ? (
          <>
            <p className="subtle" aria-live="off">
              {caption}
            </p>
            {shown.length > 0 ? (
              <LiveTable rows={shown} freshIds={live.freshIds} caption={caption} />
            ) : (
              <p className="callout" data-testid="live-no-match">
                No request matches these filters.
              </p>
            )}
          </>
        ) : null}
      </div>
    </>
  );
}
