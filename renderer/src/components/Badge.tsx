import type { ReactNode } from 'react';

export type BadgeTone = 'neutral' | 'accent' | 'success' | 'warning' | 'danger';

interface Props {
  tone?: BadgeTone;
  children: ReactNode;
  testId?: string;
  title?: string;
}

export function Badge({ tone = 'neutral', children, testId, title }: Props) {
  const toneClass = tone === 'neutral' ? '' : ` badge--${tone}`;
  return (
    <span className={`badge${toneClass}`} data-testid={testId} title={title}>
      {children}
    </span>
  );
}
