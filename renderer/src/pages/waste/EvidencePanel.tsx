import { useState } from 'react';
import type { Finding } from '../../../../contracts/waste-report.ts';
import { useEvidence } from '../../api/hooks.ts';
import { Skeleton } from '../../components/Skeleton.tsx';
import { ErrorState } from '../../components/States.tsx';
import { baseName, formatCount, formatMoney } from '../../format.ts';

export const EVIDENCE_PAGE = 25;

interface PagerProps {
  offset: number;
  shown: number;
  total: number;
  busy: boolean;
  onPage: (offset: number) => void;
}

function Pager({ offset, shown, total, busy, onPage }: PagerProps) {
  const last = offset + shown;
  return (
    <div className="row evidence-pager">
      <span className="subtle num" data-testid="evidence-range" aria-live="polite">
        {shown === 0
          ? 'No rows'
          : `Rows ${formatCount(offset + 1)}–${formatCount(last)} of ${formatCount(total)}`}
      </span>
      <span className="header-spacer" />
      <button
        type="button"
        className="btn btn--sm"
        disabled={offset === 0 || busy}
        onClick={() => onPage(Math.max(0, offset - EVIDENCE_PAGE))}
        data-testid="evidence-prev"
      >
        Previous
      </button>
      <button
        type="button"
        className="btn btn--sm"
        disabled={last >= total || busy}
        onClick={() => onPage(offset + EVIDENCE_PAGE)}
        data-testid="evidence-next"
      >
        Next
      </button>
    </div>
  );
}

/** The stored rows behind one finding, with file and line, paged from the server. */
export function EvidencePanel({ finding }: { finding: Finding }) {
  const [offset, setOffset] = useState(0);
  const evidence = useEvidence(finding.id, finding.evidence.filter, offset, EVIDENCE_PAGE);
  const label = `Evidence for: ${finding.title}`;
  return (
    <div className="evidence" data-testid="evidence-panel">
      {evidence.isPending ? <Skeleton lines={5} height={18} label="Loading evidence rows" /> : null}
      {evidence.isError ? (
        <ErrorState
          title="Could not load the evidence"
          error={evidence.error}
          onRetry={() => void evidence.refetch()}
          retrying={evidence.isFetching}
        />
      ) : null}
      {evidence.data ? (
        <>
          <div
            className="table-wrap"
            aria-busy={evidence.isPlaceholderData}
            tabIndex={0}
            role="region"
            aria-label={label}
          >
            <table className="table" data-testid="evidence-table">
              <caption className="visually-hidden">{label}</caption>
              <thead>
                <tr>
                  <th scope="col">File and line</th>
                  <th scope="col">Day</th>
                  <th scope="col" className="right">
                    Cost
                  </th>
                </tr>
              </thead>
              <tbody>
                {evidence.data.rows.map((row) => (
                  <tr key={`${row.file}:${row.line}`} data-testid="evidence-row">
                    <td className="mono" title={row.file}>
                      {baseName(row.file)}:{row.line}
                    </td>
                    <td className="num">{row.day}</td>
                    <td className="num right">{formatMoney(row.costNanos)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            offset={offset}
            shown={evidence.data.rows.length}
            total={finding.evidence.rows}
            busy={evidence.isFetching}
            onPage={setOffset}
          />
        </>
      ) : null}
    </div>
  );
}
