import { Area, AreaChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DaySavings } from '../../../../contracts/savings.ts';
import { useChartColors } from '../../components/useChartColors.ts';
import { formatDay, formatMoney } from '../../format.ts';
import { dayAxisProps, moneyAxisProps } from '../../components/chart-axes.ts';
import { ChartTable } from '../../components/ChartTable.tsx';

const DAY_MS = 86_400_000;

export interface CostPoint {
  day: string;
  baselineCostNanos: number;
  actualCostNanos: number;
}

/**
 * Every UTC day of the period with zeros where nothing was optimized: the report lists only days with
 * treatment requests, and a line that skipped quiet days would draw a false trend.
 */
export function fillCostDays(days: readonly DaySavings[], fromMs: number, toMs: number): CostPoint[] {
  const byDay = new Map(days.map((d) => [d.day, d]));
  const points: CostPoint[] = [];
  const first = Math.floor(fromMs / DAY_MS);
  const last = Math.floor((toMs - 1) / DAY_MS);
  for (let n = first; n <= last; n++) {
    const day = new Date(n * DAY_MS).toISOString().slice(0, 10);
    const found = byDay.get(day);
    // The window's first UTC day is partial; show it only when it holds requests.
    if (n === first && !found) continue;
    points.push({
      day,
      baselineCostNanos: found?.baselineCostNanos ?? 0,
      actualCostNanos: found?.actualCostNanos ?? 0,
    });
  }
  return points;
}

function ChartTooltip({
  active,
  payload,
}: {
  active?: boolean;
  payload?: ReadonlyArray<{ payload?: CostPoint }>;
}) {
  const row = payload?.[0]?.payload;
  if (!active || !row) return null;
  return (
    <div className="chart-tooltip">
      <div className="muted">{formatDay(row.day)}</div>
      <div className="num">Without Apex {formatMoney(row.baselineCostNanos)}</div>
      <div className="num">
        <strong>With Apex {formatMoney(row.actualCostNanos)}</strong>
      </div>
    </div>
  );
}

function Chart({ points }: { points: readonly CostPoint[] }) {
  const colors = useChartColors();
  return (
    <div className="chart-frame" style={{ height: 260 }} aria-hidden="true">
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart
          data={[...points]}
          margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
          accessibilityLayer={false}
        >
          <CartesianGrid vertical={false} stroke={colors.grid} />
          <XAxis {...dayAxisProps(colors)} />
          <YAxis {...moneyAxisProps(colors)} />
          <Tooltip content={<ChartTooltip />} />
          <Legend wrapperStyle={{ fontSize: 12, color: colors.axis }} />
          <Area
            name="Without Apex (baseline)"
            dataKey="baselineCostNanos"
            stroke={colors.axis}
            strokeDasharray="5 4"
            fill="none"
            isAnimationActive={false}
          />
          <Area
            name="With Apex (actual)"
            dataKey="actualCostNanos"
            stroke={colors.bar}
            fill={colors.bar}
            fillOpacity={0.2}
            isAnimationActive={false}
          />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Baseline against actual cost per day for optimized requests; the gap between them is the saving. */
export function CostChart({ points }: { points: readonly CostPoint[] }) {
  const title = 'Cost per day of optimized requests, with and without Apex';
  return (
    <section className="card" aria-labelledby="cost-chart-heading">
      <div className="card-header">
        <h2 id="cost-chart-heading">Baseline vs actual cost</h2>
        <p>UTC days, optimized requests</p>
      </div>
      <figure className="stack" style={{ gap: 8 }} data-testid="savings-chart">
        <div
          role="img"
          aria-label={`${title}, area chart of ${points.length} days; "Show as table" lists every day.`}
        >
          <Chart points={points} />
        </div>
        <CostTable title={title} points={points} />
      </figure>
    </section>
  );
}

function CostTable({ title, points }: { title: string; points: readonly CostPoint[] }) {
  return (
    <ChartTable title={title}>
      <thead>
        <tr>
          <th scope="col">Day</th>
          <th scope="col" className="right">
            Without Apex
          </th>
          <th scope="col" className="right">
            With Apex
          </th>
          <th scope="col" className="right">
            Saved
          </th>
        </tr>
      </thead>
      <tbody>
        {points.map((p) => (
          <tr key={p.day}>
            <td className="num">{p.day}</td>
            <td className="num right">{formatMoney(p.baselineCostNanos)}</td>
            <td className="num right">{formatMoney(p.actualCostNanos)}</td>
            <td className="num right">{formatMoney(p.baselineCostNanos - p.actualCostNanos)}</td>
          </tr>
        ))}
      </tbody>
    </ChartTable>
  );
}
