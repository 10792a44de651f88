import type { OverviewResponse } from '../../../../contracts/control-api.ts';
import { Stat, StatSkeleton } from '../../components/Stat.tsx';
import { formatCount, formatMoney, formatShare, shareOf } from '../../format.ts';

export function UsageStats({ data, days }: { data: OverviewResponse; days: number }) {
  const { requests, errors, costNanos } = data.totals;
  const errorRate = shareOf(errors, requests);
  const perRequest = requests > 0 ? costNanos / requests : 0;
  return (
    <div className="stat-grid" data-testid="usage-stats">
      <Stat
        label="Proxied spend"
        value={formatMoney(costNanos)}
        sub={`last ${days} days`}
        testId="stat-spend"
      />
      <Stat
        label="Requests"
        value={formatCount(requests)}
        sub={requests > 0 ? `${formatMoney(perRequest)} per request` : 'none yet'}
        testId="stat-requests"
      />
      <Stat
        label="Error rate"
        value={formatShare(errorRate)}
        sub={`${formatCount(errors)} failed ${errors === 1 ? 'request' : 'requests'}`}
        testId="stat-error-rate"
      />
    </div>
  );
}

export function UsageStatsSkeleton() {
  return (
    <div className="stat-grid">
      <StatSkeleton />
      <StatSkeleton />
      <StatSkeleton />
    </div>
  );
}
