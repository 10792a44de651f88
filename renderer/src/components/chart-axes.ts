import { formatDay, formatMoneyCompact } from '../format.ts';
import type { ChartColors } from './useChartColors.ts';

/** The day axis every spend chart draws, so all charts read alike in both themes. */
export function dayAxisProps(colors: ChartColors) {
  return {
    dataKey: 'day',
    tickFormatter: formatDay,
    tick: { fill: colors.axis, fontSize: 12 },
    axisLine: { stroke: colors.grid },
    tickLine: false,
    minTickGap: 16,
  };
}

/** The money axis of the spend charts: compact dollars from integer nano-dollars. */
export function moneyAxisProps(colors: ChartColors) {
  return {
    tickFormatter: (v: number) => formatMoneyCompact(v),
    tick: { fill: colors.axis, fontSize: 12 },
    axisLine: false,
    tickLine: false,
    width: 64,
  };
}
