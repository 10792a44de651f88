import { Badge } from '../../components/Badge.tsx';
import { baseName, formatBytes, formatCount, plural } from '../../format.ts';
import type { FileImportSummary } from '../../../../contracts/imports.ts';
import type { UploadItem } from './useUploads.ts';

const MAX_ISSUES = 3;

function Progress({ item }: { item: UploadItem }) {
  const importing = item.phase === 'importing';
  const percent = Math.round(item.progress * 100);
  return (
    <div className="stack" style={{ gap: 4 }}>
      <div
        className={`progress${importing ? ' progress--indeterminate' : ''}`}
        role="progressbar"
        aria-label={`Uploading ${item.name}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={importing ? undefined : percent}
        aria-valuetext={importing ? 'Importing' : `${percent}%`}
        data-testid="upload-progress"
      >
        <span style={{ width: `${importing ? 100 : percent}%` }} />
      </div>
      <span className="subtle">
        {item.phase === 'queued' ? 'Waiting…' : importing ? 'Importing rows…' : `Uploading, ${percent}%`}
      </span>
    </div>
  );
}

const STATUS_BADGE: Record<
  FileImportSummary['status'],
  { tone: 'success' | 'neutral' | 'danger'; text: string }
> = {
  imported: { tone: 'success', text: 'Imported' },
  'already-imported': { tone: 'neutral', text: 'Already imported' },
  failed: { tone: 'danger', text: 'Failed' },
};

function Summary({ summary }: { summary: FileImportSummary }) {
  const badge = STATUS_BADGE[summary.status];
  return (
    <div className="stack" style={{ gap: 6 }}>
      <div className="row" style={{ gap: 8 }}>
        <Badge tone={badge.tone}>{badge.text}</Badge>
        {summary.formatLabel ? <span className="muted">{summary.formatLabel}</span> : null}
      </div>
      {summary.status === 'imported' ? (
        <p className="num upload-counts" data-testid="upload-counts">
          {plural(summary.rowsImported, 'row')} imported · {formatCount(summary.rowsDuplicate)} already stored
          · {formatCount(summary.rowsSkipped)} skipped
        </p>
      ) : null}
      {summary.message ? <p className="muted">{summary.message}</p> : null}
      {summary.issues.length > 0 ? (
        <ul className="upload-issues" aria-label="Problems found">
          {summary.issues.slice(0, MAX_ISSUES).map((issue) => (
            <li key={`${issue.line}:${issue.message}`} className="mono">
              line {issue.line}: {issue.message}
            </li>
          ))}
          {summary.issueCount > MAX_ISSUES ? (
            <li className="subtle">and {plural(summary.issueCount - MAX_ISSUES, 'more problem')}</li>
          ) : null}
        </ul>
      ) : null}
    </div>
  );
}

function UploadRow({ item }: { item: UploadItem }) {
  const status = item.phase === 'done' ? item.summary?.status : item.phase;
  return (
    <li className="upload-item" data-testid="upload-result" data-status={status}>
      <div className="upload-name">
        <strong>{baseName(item.name)}</strong>
        <span className="subtle num">{formatBytes(item.size)}</span>
      </div>
      {item.phase === 'done' && item.summary ? <Summary summary={item.summary} /> : null}
      {item.phase === 'error' ? (
        <p className="upload-error" role="alert">
          <Badge tone="danger">Upload failed</Badge> {item.error}
        </p>
      ) : null}
      {item.phase !== 'done' && item.phase !== 'error' ? <Progress item={item} /> : null}
    </li>
  );
}

export function UploadList({ items, onClear }: { items: readonly UploadItem[]; onClear: () => void }) {
  if (items.length === 0) return null;
  const finished = items.filter((i) => i.phase === 'done' || i.phase === 'error').length;
  return (
    <section className="card" aria-labelledby="uploads-heading">
      <div className="card-header">
        <h2 id="uploads-heading">Imports</h2>
        {finished > 0 ? (
          <button type="button" className="btn btn--sm btn--ghost" onClick={onClear}>
            Clear finished
          </button>
        ) : null}
      </div>
      <p className="visually-hidden" role="status">
        {finished} of {plural(items.length, 'file')} finished
      </p>
      <ul className="upload-list">
        {items.map((item) => (
          <UploadRow key={item.id} item={item} />
        ))}
      </ul>
    </section>
  );
}
