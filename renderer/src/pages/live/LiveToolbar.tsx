import type { LiveState } from '../../api/live.ts';
import { formatCount } from '../../format.ts';
import type { StatusFilter } from './useLiveRows.ts';

interface Props {
  text: string;
  onText: (text: string) => void;
  status: StatusFilter;
  onStatus: (status: StatusFilter) => void;
  paused: boolean;
  buffered: number;
  onTogglePause: () => void;
  connection: LiveState;
}

const CONNECTION_TEXT: Record<LiveState, string> = {
  connecting: 'Connecting…',
  open: 'Live',
  reconnecting: 'Reconnecting…',
};

function Connection({ state, paused }: { state: LiveState; paused: boolean }) {
  const label = paused && state === 'open' ? 'Paused' : CONNECTION_TEXT[state];
  return (
    <span
      className={`live-dot live-dot--${paused ? 'paused' : state}`}
      role="status"
      data-testid="live-connection"
    >
      {label}
    </span>
  );
}

export function LiveToolbar(props: Props) {
  const { text, onText, status, onStatus, paused, buffered, onTogglePause, connection } = props;
  return (
    <div className="live-toolbar">
      <div className="field live-filter">
        <label htmlFor="live-filter">Filter</label>
        <input
          id="live-filter"
          className="input"
          type="search"
          placeholder="Model, provider, project or key"
          value={text}
          onChange={(e) => onText(e.target.value)}
          data-testid="live-filter"
        />
      </div>
      <div className="field">
        <label htmlFor="live-status">Status</label>
        <select
          id="live-status"
          className="select"
          value={status}
          onChange={(e) => onStatus(e.target.value as StatusFilter)}
          data-testid="live-status-filter"
        >
          <option value="all">All requests</option>
          <option value="errors">Errors only</option>
        </select>
      </div>
      <span className="header-spacer" />
      <Connection state={connection} paused={paused} />
      <button
        type="button"
        className={`btn${paused ? ' btn--primary' : ''}`}
        onClick={onTogglePause}
        aria-pressed={paused}
        data-testid="live-pause"
      >
        {paused ? 'Resume' : 'Pause'}
        {paused && buffered > 0 ? (
          <span className="badge" data-testid="live-buffered-count">
            {formatCount(buffered)} new
          </span>
        ) : null}
      </button>
    </div>
  );
}
