import { useMemo } from 'react';
import { useResolvedTheme } from '../app/theme.ts';

export interface ChartColors {
  bar: string;
  spike: string;
  grid: string;
  axis: string;
}

/** Recharts takes colors as props, so read the theme's tokens and re-read when the theme flips. */
export function useChartColors(): ChartColors {
  const theme = useResolvedTheme();
  return useMemo(() => {
    const style = getComputedStyle(document.documentElement);
    const read = (name: string) => style.getPropertyValue(name).trim();
    return {
      bar: read('--chart-1'),
      spike: read('--chart-spike'),
      grid: read('--chart-grid'),
      axis: read('--chart-axis'),
    };
    // `theme` is not read inside, but it is what changes the computed tokens.
  }, [theme]);
}
