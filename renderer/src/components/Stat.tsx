import type { ReactNode } from 'react';

interface Props {
  label: string;
  value: ReactNode;
  sub?: ReactNode;
  tone?: 'default' | 'positive' | 'highlight';
  testId?: string;
}

/** One headline number on a card. */
export function Stat({ label, value, sub, tone = 'default', testId }: Props) {
  const toneClass = tone === 'default' ? '' : ` stat--${tone}`;
  return (
    <div className={`card stat${toneClass}`} data-testid={testId}>
      <span className="stat-label">{label}</span>
      <span className="stat-value">{value}</span>
      {sub ? <span className="stat-sub">{sub}</span> : null}
    </div>
  );
}

export function StatSkeleton() {
  return (
    <div className="card stat" aria-hidden="true">
      <span className="skeleton" style={{ width: '45%', height: 14 }} />
      <span className="skeleton" style={{ width: '70%', height: 30, marginTop: 4 }} />
      <span className="skeleton" style={{ width: '55%', height: 12, marginTop: 4 }} />
    </div>
  );
}
