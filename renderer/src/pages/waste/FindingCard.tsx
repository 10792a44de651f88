import { useId, useState } from 'react';
import type { Finding } from '../../../../contracts/waste-report.ts';
import { Badge } from '../../components/Badge.tsx';
import { ChevronIcon } from '../../components/icons.tsx';
import { formatMoney, plural } from '../../format.ts';
import { EvidencePanel } from './EvidencePanel.tsx';
import { CONFIDENCE_TONE, kindLabel, savingHeadline, savingWindow } from './labels.ts';

function Saving({ finding }: { finding: Finding }) {
  const { amount, unit } = savingHeadline(finding);
  return (
    <div className="finding-saving" data-testid="finding-saving">
      <span className="finding-amount num">{amount}</span>
      <span className="finding-unit">{unit}</span>
      <span className="subtle num">
        {finding.countsTowardRoi ? savingWindow(finding) : 'above a typical day'}
      </span>
    </div>
  );
}

export function FindingCard({ finding }: { finding: Finding }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const { evidence } = finding;
  return (
    <article
      className={`card finding${finding.countsTowardRoi ? '' : ' finding--anomaly'}`}
      data-testid="finding-card"
      data-finding-id={finding.id}
      data-kind={finding.kind}
      aria-labelledby={`${panelId}-title`}
    >
      <div className="finding-head">
        <div className="stack" style={{ gap: 8 }}>
          <div className="row" style={{ gap: 6 }}>
            <Badge tone="accent">{kindLabel(finding.kind)}</Badge>
            <Badge tone={CONFIDENCE_TONE[finding.confidence]} testId="finding-confidence">
              {finding.confidence} confidence
            </Badge>
            {finding.countsTowardRoi ? null : <Badge tone="warning">Not counted in savings</Badge>}
            <span className="subtle">{finding.provider}</span>
          </div>
          <h3 id={`${panelId}-title`}>{finding.title}</h3>
        </div>
        <Saving finding={finding} />
      </div>
      <p className="finding-detail">{finding.detail}</p>
      <p className="finding-action">
        <strong>What to do: </strong>
        {finding.action}
      </p>
      <button
        type="button"
        className="finding-toggle"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        data-testid="finding-toggle"
      >
        <ChevronIcon />
        {open ? 'Hide evidence' : 'Show evidence'}
        <span className="subtle num">
          {plural(evidence.rows, 'row')}, {formatMoney(evidence.costNanos)}
        </span>
      </button>
      <div id={panelId} hidden={!open}>
        {open ? <EvidencePanel finding={finding} /> : null}
      </div>
    </article>
  );
}
