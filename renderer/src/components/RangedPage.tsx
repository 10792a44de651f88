import { useState, type ReactNode } from 'react';
import { PageHeader } from './PageHeader.tsx';
import { Segmented } from './Segmented.tsx';

const RANGES = [
  { value: 7, label: '7 days' },
  { value: 30, label: '30 days' },
  { value: 90, label: '90 days' },
] as const;

export type RangeDays = (typeof RANGES)[number]['value'];

interface Props {
  title: string;
  description: string;
  testId: string;
  /** The page body for the chosen range (30 days until the reader picks another). */
  children: (days: RangeDays) => ReactNode;
}

/** A page whose figures cover a trailing range the reader picks in the header. */
export function RangedPage({ title, description, testId, children }: Props) {
  const [days, setDays] = useState<RangeDays>(30);
  return (
    <>
      <PageHeader
        title={title}
        description={description}
        actions={
          <Segmented
            legend="Date range"
            options={RANGES}
            value={days}
            onChange={setDays}
            testIdPrefix="range"
          />
        }
      />
      <div className="stack" data-testid={testId}>
        {children(days)}
      </div>
    </>
  );
}
