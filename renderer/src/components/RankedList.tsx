import { formatMoney, formatShare, shareOf } from '../format.ts';

export interface RankedEntry {
  key: string;
  costNanos: number;
  detail?: string;
}

interface Props {
  label: string;
  entries: readonly RankedEntry[];
  limit?: number;
  testId?: string;
  /** The whole that shares are of, when entries are only the top of a longer list. */
  total?: number;
}

/**
 * Spend ranked largest first, each with its share of the total. Plain text carries every figure, so
 * the bars are decoration and the list needs no separate table alternative.
 */
export function RankedList({ label, entries, limit = 8, testId, total: whole }: Props) {
  const total = whole ?? entries.reduce((sum, e) => sum + e.costNanos, 0);
  const sorted = [...entries].sort((a, b) => b.costNanos - a.costNanos);
  const shown = sorted.slice(0, limit);
  const rest = sorted.slice(limit);
  const top = shown[0]?.costNanos ?? 0;
  if (shown.length === 0) return <p className="subtle">Nothing recorded in this range.</p>;
  return (
    <ol className="ranked" aria-label={label} data-testid={testId}>
      {shown.map((entry) => (
        <li key={entry.key} className="ranked-item">
          <span className="ranked-name" title={entry.key || '(unattributed)'}>
            {entry.key || <span className="muted">(unattributed)</span>}
          </span>
          <span className="num ranked-amount">{formatMoney(entry.costNanos)}</span>
          <span className="ranked-bar" aria-hidden="true">
            <span style={{ width: `${Math.max(1, shareOf(entry.costNanos, top) * 100)}%` }} />
          </span>
          <span className="subtle ranked-detail">{entry.detail}</span>
          <span className="num ranked-share">{formatShare(shareOf(entry.costNanos, total))}</span>
        </li>
      ))}
      {rest.length > 0 ? (
        <li className="subtle">
          and {rest.length} more ({formatMoney(rest.reduce((s, e) => s + e.costNanos, 0))})
        </li>
      ) : null}
    </ol>
  );
}
