import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDay, formatMoney } from '../format.ts';
import { useChartColors, type ChartColors } from './useChartColors.ts';
import { dayAxisProps, moneyAxisProps } from './chart-axes.ts';
import { ChartTable } from './ChartTable.tsx';

export interface SpendPoint {
  day: string;
  costNanos: number;
  /** Highlighted as a spike (the waste report's spend-spike findings). */
  spike?: boolean;
  requests?: number;
}

interface Props {
  title: string;
  points: readonly SpendPoint[];
  testId?: string;
  height?: number;
}

interface Row {
  day: string;
  normal: number;
  spike: number;
  costNanos: number;
}

interface TooltipProps {
  active?: boolean;
  payload?: ReadonlyArray<{ payload?: Row }>;
}

function ChartTooltip({ active, payload }: TooltipProps) {
  const row = payload?.[0]?.payload;
  if (!active || !row) return null;
  return (
    <div className="chart-tooltip">
      <div className="muted">{formatDay(row.day)}</div>
      <div className="num">
        <strong>{formatMoney(row.costNanos)}</strong>
        {row.spike > 0 ? <span className="subtle"> · spike</span> : null}
      </div>
    </div>
  );
}

function Bars({ rows, colors, height }: { rows: Row[]; colors: ChartColors; height: number }) {
  return (
    <div className="chart-frame" style={{ height }} aria-hidden="true">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke={colors.grid} />
          <XAxis {...dayAxisProps(colors)} />
          <YAxis {...moneyAxisProps(colors)} />
          <Tooltip content={<ChartTooltip />} cursor={{ fill: colors.grid, opacity: 0.5 }} />
          <Bar
            dataKey="normal"
            stackId="spend"
            fill={colors.bar}
            radius={[3, 3, 0, 0]}
            isAnimationActive={false}
          />
          <Bar
            dataKey="spike"
            stackId="spend"
            fill={colors.spike}
            radius={[3, 3, 0, 0]}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/**
 * Spend per day as bars; spike days in their own color. The chart is one image to assistive tech
 * (its name says what it shows), and the same numbers are in the table under it.
 */
export function SpendChart({ title, points, testId, height = 260 }: Props) {
  const colors = useChartColors();
  const rows: Row[] = points.map((p) => ({
    day: p.day,
    costNanos: p.costNanos,
    normal: p.spike ? 0 : p.costNanos,
    spike: p.spike ? p.costNanos : 0,
  }));
  const hasSpikes = rows.some((r) => r.spike > 0);
  return (
    <figure className="stack" style={{ gap: 8 }} data-testid={testId}>
      <div
        role="img"
        aria-label={`${title}, bar chart of ${rows.length} days; "Show as table" lists every day.`}
      >
        <Bars rows={rows} colors={colors} height={height} />
      </div>
      {hasSpikes ? <ChartLegend colors={colors} /> : null}
      <SpendTable title={title} points={points} />
    </figure>
  );
}

function ChartLegend({ colors }: { colors: { bar: string; spike: string } }) {
  return (
    <div className="chart-legend" aria-hidden="true">
      <span>
        <span className="legend-swatch" style={{ background: colors.bar }} />
        Spend
      </span>
      <span>
        <span className="legend-swatch" style={{ background: colors.spike }} />
        Spike day
      </span>
    </div>
  );
}

function SpendTable({ title, points }: { title: string; points: readonly SpendPoint[] }) {
  const withRequests = points.some((p) => p.requests !== undefined);
  return (
    <ChartTable title={title}>
      <thead>
        <tr>
          <th scope="col">Day</th>
          {withRequests ? (
            <th scope="col" className="right">
              Requests
            </th>
          ) : null}
          <th scope="col" className="right">
            Spend
          </th>
        </tr>
      </thead>
      <tbody>
        {points.map((p) => (
          <tr key={p.day}>
            <td className="num">
              {p.day}
              {p.spike ? (
                <span className="badge badge--warning" style={{ marginLeft: 8 }}>
                  spike
                </span>
              ) : null}
            </td>
            {withRequests ? <td className="num right">{p.requests?.toLocaleString('en-US')}</td> : null}
            <td className="num right">{formatMoney(p.costNanos)}</td>
          </tr>
        ))}
      </tbody>
    </ChartTable>
  );
}
