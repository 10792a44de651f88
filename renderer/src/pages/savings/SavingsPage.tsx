import type { SavingsReport } from '../../../../contracts/savings.ts';
import { useSavings } from '../../api/hooks.ts';
import { RangedPage, type RangeDays } from '../../components/RangedPage.tsx';
import { CardSkeleton } from '../../components/Skeleton.tsx';
import { StatSkeleton } from '../../components/Stat.tsx';
import { ErrorState } from '../../components/States.tsx';
import { ArmCounts } from './ArmCounts.tsx';
import { ControlEstimateCard } from './ControlEstimateCard.tsx';
import { CostChart, fillCostDays } from './CostChart.tsx';
import { ExperimentsTable } from './ExperimentsTable.tsx';
import { HeadlineStats } from './HeadlineStats.tsx';
import { OptimizerSavings } from './OptimizerSavings.tsx';
import { ParetoTables } from './ParetoTables.tsx';
import { SavingsEmpty } from './SavingsEmpty.tsx';
import '../../styles/savings.css';

/** Requests that went through the proof-of-value split; unassigned ones prove nothing. */
function hasArms(report: SavingsReport): boolean {
  const { treatment, control, experiment } = report.requestsByArm;
  return treatment + control + experiment > 0;
}

function Loading() {
  return (
    <>
      <div className="stat-grid">
        <StatSkeleton />
        <StatSkeleton />
        <StatSkeleton />
        <StatSkeleton />
      </div>
      <CardSkeleton label="Building the savings report" height={200} />
    </>
  );
}

function Report({ report, days, busy }: { report: SavingsReport; days: number; busy: boolean }) {
  return (
    <div className="stack savings-report" data-testid="savings-report" aria-busy={busy}>
      <HeadlineStats report={report} days={days} />
      <ControlEstimateCard estimate={report.controlEstimate} />
      <div className="grid-2">
        <OptimizerSavings totals={report.treatment} />
        <ArmCounts arms={report.requestsByArm} />
      </div>
      <CostChart points={fillCostDays(report.byDay, report.period.fromMs, report.period.toMs)} />
      <ExperimentsTable experiments={report.experiments} />
      <ParetoTables routes={report.pareto} />
    </div>
  );
}

function SavingsSection({ days }: { days: RangeDays }) {
  const savings = useSavings(days);
  if (savings.isPending) return <Loading />;
  if (savings.isError) {
    return (
      <ErrorState
        title="Could not build the savings report"
        error={savings.error}
        onRetry={() => void savings.refetch()}
        retrying={savings.isFetching}
      />
    );
  }
  if (!hasArms(savings.data)) return <SavingsEmpty />;
  return <Report report={savings.data} days={days} busy={savings.isFetching} />;
}

export default function SavingsPage() {
  return (
    <RangedPage
      title="Savings"
      description="What Apex saved, proved against a control group held out of every optimizer, and what is billable."
      testId="savings-page"
    >
      {(days) => <SavingsSection days={days} />}
    </RangedPage>
  );
}
