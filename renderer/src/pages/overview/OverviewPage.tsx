import { useOverview, useReport, useStatus } from '../../api/hooks.ts';
import { RangedPage, type RangeDays } from '../../components/RangedPage.tsx';
import { CardSkeleton } from '../../components/Skeleton.tsx';
import { SpendChart } from '../../components/SpendChart.tsx';
import { ErrorState } from '../../components/States.tsx';
import { Breakdowns } from './Breakdowns.tsx';
import { fillDays } from './days.ts';
import { OverviewEmpty } from './OverviewEmpty.tsx';
import { ImportInvite, SavingsStats } from './SavingsStats.tsx';
import { UsageStats, UsageStatsSkeleton } from './UsageStats.tsx';

function Savings({ invite = true }: { invite?: boolean }) {
  const report = useReport();
  // Savings are a bonus on this page: while loading or on failure the proxy figures still stand.
  if (!report.data) return null;
  if (report.data.period === null) return invite ? <ImportInvite /> : null;
  return <SavingsStats report={report.data} />;
}

function UsageSection({ days }: { days: RangeDays }) {
  const overview = useOverview(days);
  const status = useStatus();
  if (overview.isPending) {
    return (
      <>
        <UsageStatsSkeleton />
        <CardSkeleton label="Loading spend per day" />
      </>
    );
  }
  if (overview.isError) {
    return (
      <ErrorState
        title="Could not load proxied usage"
        error={overview.error}
        onRetry={() => void overview.refetch()}
        retrying={overview.isFetching}
      />
    );
  }
  const data = overview.data;
  if (data.totals.requests === 0) {
    return (
      <>
        <OverviewEmpty proxyUrl={status.data?.proxyUrl} />
        <Savings invite={false} />
      </>
    );
  }
  return (
    <>
      <UsageStats data={data} days={days} />
      <Savings />
      <section className="card" aria-labelledby="per-day-heading">
        <div className="card-header">
          <h2 id="per-day-heading">Spend per day</h2>
          <p>UTC days, requests through the proxy</p>
        </div>
        <SpendChart
          title="Proxied spend per day"
          points={fillDays(data.days, days)}
          testId="overview-chart"
        />
      </section>
      <Breakdowns data={data} />
    </>
  );
}

export default function OverviewPage() {
  return (
    <RangedPage
      title="Overview"
      description="What your team spends on AI through Apex, and what the bills you imported could save."
      testId="overview-page"
    >
      {(days) => <UsageSection days={days} />}
    </RangedPage>
  );
}
