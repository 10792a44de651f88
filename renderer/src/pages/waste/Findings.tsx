import type { WasteReport } from '../../../../contracts/waste-report.ts';
import { plural } from '../../format.ts';
import { FindingCard } from './FindingCard.tsx';

export function Findings({ report }: { report: WasteReport }) {
  const oneOff = report.findings.filter((f) => !f.countsTowardRoi).length;
  return (
    <section aria-labelledby="findings-heading" className="stack" style={{ gap: 12 }}>
      <div className="section-title">
        <h2 id="findings-heading">Findings</h2>
        <p className="num">
          {plural(report.findings.length, 'finding')}, largest saving first
          {oneOff > 0 ? `; ${plural(oneOff, 'one-off anomaly', 'one-off anomalies')} at the end` : ''}
        </p>
      </div>
      {report.findings.length === 0 ? (
        <p className="callout" data-testid="no-findings">
          No waste found in these files. Import more months or more providers to give the analysis more to
          work with.
        </p>
      ) : (
        <div className="stack" style={{ gap: 12 }} data-testid="findings-list">
          {report.findings.map((finding) => (
            <FindingCard key={finding.id} finding={finding} />
          ))}
        </div>
      )}
      {report.notes.length > 0 ? (
        <aside className="callout" aria-labelledby="notes-heading" data-testid="report-notes">
          <h3 id="notes-heading" className="notes-heading">
            Worth knowing
          </h3>
          <ul className="notes">
            {report.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </aside>
      ) : null}
    </section>
  );
}
