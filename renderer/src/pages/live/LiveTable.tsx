import { Fragment, memo } from 'react';
import type { UsageEvent } from '../../../../contracts/usage.ts';
import { Badge } from '../../components/Badge.tsx';
import { formatCount, formatDurationUs, formatMoney, formatTime } from '../../format.ts';
import { isError } from './useLiveRows.ts';

/** Error classes are snake_case; let them wrap at underscores instead of widening the column. */
function breakable(text: string) {
  return text.split('_').map((part, i, all) => (
    <Fragment key={i}>
      {part}
      {i < all.length - 1 ? (
        <>
          _<wbr />
        </>
      ) : null}
    </Fragment>
  ));
}

function StatusCell({ event }: { event: UsageEvent }) {
  if (!isError(event)) return <Badge tone="success">{event.status}</Badge>;
  return (
    <span className="live-error">
      <Badge tone="danger">{event.status}</Badge>
      {event.errorClass ? <span className="live-error-class">{breakable(event.errorClass)}</span> : null}
    </span>
  );
}

function Tokens({ event }: { event: UsageEvent }) {
  return (
    <span className="num">
      {formatCount(event.inputTokens)} → {formatCount(event.outputTokens)}
      {event.cachedInputTokens > 0 ? (
        <span className="subtle live-sub">{formatCount(event.cachedInputTokens)} cached</span>
      ) : null}
    </span>
  );
}

const LiveRow = memo(function LiveRow({ event, fresh }: { event: UsageEvent; fresh: boolean }) {
  const model = event.modelServed ?? event.modelRequested;
  return (
    <tr
      className={`${fresh ? 'row-fresh' : ''}${isError(event) ? ' row-error' : ''}`}
      data-testid="live-row"
      data-status={event.status}
      data-request-id={event.id}
    >
      <td className="num">
        <time dateTime={new Date(event.ts).toISOString()}>{formatTime(event.ts)}</time>
      </td>
      <td>
        <StatusCell event={event} />
      </td>
      <td>
        <div className="live-model live-trunc" title={model}>
          {model}
        </div>
        <div className="subtle">{event.provider}</div>
      </td>
      <td>
        {event.endpoint}
        {event.streamed ? <span className="subtle live-sub">stream</span> : null}
      </td>
      <td className="right">
        <Tokens event={event} />
      </td>
      <td className="num right">
        {event.priceSource === null && event.costNanos === 0 ? '—' : formatMoney(event.costNanos)}
      </td>
      <td className="num right">{formatDurationUs(event.latencyUs)}</td>
      <td className="num right">{formatDurationUs(event.ttftUs)}</td>
      <td>
        <div className="live-trunc" title={event.project ?? undefined}>
          {event.project ?? <span className="subtle">no project</span>}
        </div>
        {event.keyId ? (
          <div className="subtle mono live-trunc" title={event.keyId}>
            {event.keyId}
          </div>
        ) : null}
      </td>
    </tr>
  );
});

interface Props {
  rows: readonly UsageEvent[];
  freshIds: ReadonlySet<string>;
  caption: string;
}

/**
 * A native table in a focusable scroll region: arrow keys and Page Up/Down scroll it, and screen
 * readers get real column headers for every cell.
 */
export function LiveTable({ rows, freshIds, caption }: Props) {
  return (
    <div className="table-wrap live-table-wrap" tabIndex={0} role="region" aria-labelledby="live-caption">
      <table className="table live-table" data-testid="live-table">
        <caption id="live-caption" className="visually-hidden">
          {caption}
        </caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Status</th>
            <th scope="col">Model</th>
            <th scope="col">Endpoint</th>
            <th scope="col" className="right">
              Tokens in → out
            </th>
            <th scope="col" className="right">
              Cost
            </th>
            <th scope="col" className="right">
              Latency
            </th>
            <th scope="col" className="right">
              TTFT
            </th>
            <th scope="col">Project / key</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((event) => (
            <LiveRow key={event.id} event={event} fresh={freshIds.has(event.id)} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
