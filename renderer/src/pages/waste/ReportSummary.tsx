import type { SpendLine, WasteReport } from '../../../../contracts/waste-report.ts';
import { RankedList } from '../../components/RankedList.tsx';
import { SpendChart } from '../../components/SpendChart.tsx';
import { Stat } from '../../components/Stat.tsx';
import { baseName, formatCount, formatDateTime, formatMoney, plural } from '../../format.ts';
import { periodText, spikeDays } from './labels.ts';

function Sources({ report }: { report: WasteReport }) {
  return (
    <details className="disclosure" data-testid="report-sources">
      <summary>{plural(report.sources.length, 'source file')}</summary>
      <div
        className="table-wrap"
        style={{ maxHeight: 300 }}
        tabIndex={0}
        role="region"
        aria-label="Imported files"
      >
        <table className="table">
          <caption className="visually-hidden">Imported files</caption>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Format</th>
              <th scope="col">Imported</th>
              <th scope="col" className="right">
                Rows
              </th>
              <th scope="col" className="right">
                Skipped
              </th>
            </tr>
          </thead>
          <tbody>
            {report.sources.map((s) => (
              <tr key={`${s.file}@${s.importedAt}`}>
                <td className="mono" title={s.file}>
                  {baseName(s.file)}
                </td>
                <td>{s.format}</td>
                <td className="num">{formatDateTime(s.importedAt)}</td>
                <td className="num right">{formatCount(s.rowsImported)}</td>
                <td className="num right">{formatCount(s.rowsSkipped)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

const BASIS: Record<SpendLine['basis'], string> = {
  billed: 'billed',
  estimated: 'estimated from tokens',
  mixed: 'billed and estimated',
};

export function ReportSummary({ report }: { report: WasteReport }) {
  const spikes = spikeDays(report);
  const byProvider = report.totals.byProvider.map((l) => ({
    key: l.key,
    costNanos: l.spendNanos,
    detail: BASIS[l.basis],
  }));
  const days = report.totals.byDay.map((l) => ({
    day: l.key,
    costNanos: l.spendNanos,
    spike: spikes.has(l.key),
  }));
  return (
    <section
      aria-labelledby="spend-heading"
      className="stack"
      style={{ gap: 16 }}
      data-testid="report-summary"
    >
      <div className="section-title">
        <h2 id="spend-heading">Spend in the imported bills</h2>
        <p className="num" data-testid="report-period">
          {periodText(report)}
        </p>
      </div>
      <div className="report-top">
        <div className="stack" style={{ gap: 16 }}>
          <Stat
            label="Total spend"
            value={formatMoney(report.totals.spendNanos)}
            sub={`${plural(report.sources.length, 'file')}, ${report.currency}`}
            testId="report-total"
          />
          <div className="card">
            <div className="card-header">
              <h3>By provider</h3>
            </div>
            <RankedList label="Spend by provider" entries={byProvider} testId="report-by-provider" />
          </div>
        </div>
        <div className="card">
          <div className="card-header">
            <h3>Spend per day</h3>
            <p>{spikes.size > 0 ? `${plural(spikes.size, 'spike day')} highlighted` : 'UTC days'}</p>
          </div>
          <SpendChart title="Billed spend per day" points={days} testId="report-chart" height={280} />
        </div>
      </div>
      <Sources report={report} />
    </section>
  );
}
