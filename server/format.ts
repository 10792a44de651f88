import { formatCount } from '../common/money-format.ts';
import type { UsageEvent } from '../contracts/usage.ts';

export { formatCount };

/** Dollars from nano-dollars for display only; stored and summed values stay integers. */
export function formatUsd(nanos: number, decimals = 6): string {
  const sign = nanos < 0 ? '-' : '';
  const abs = BigInt(Math.abs(Math.trunc(nanos)));
  const whole = abs / 1_000_000_000n;
  const frac = (abs % 1_000_000_000n).toString().padStart(9, '0').slice(0, decimals);
  return `${sign}$${whole}.${frac}`;
}

/** One line per request, for `serve --log-requests` and the demo. */
export function formatRequestLine(event: UsageEvent): string {
  // Lines print as requests finish, so they show the finish time and read in order.
  const time = new Date(event.ts + event.latencyUs / 1000).toISOString().slice(11, 19);
  const tokens = `${formatCount(event.inputTokens)}→${formatCount(event.outputTokens)} tok`;
  const cached = event.cachedInputTokens > 0 ? ` (${formatCount(event.cachedInputTokens)} cached)` : '';
  const latency = `${Math.round(event.latencyUs / 1000)} ms`;
  const outcome = event.errorClass ? ` ${event.errorClass}` : '';
  return [
    time,
    String(event.status).padEnd(3),
    event.modelRequested.padEnd(22),
    `${event.endpoint}${event.streamed ? '/stream' : ''}`.padEnd(18),
    `${tokens}${cached}`.padEnd(30),
    formatUsd(event.costNanos).padStart(10),
    latency.padStart(8),
    `${event.project ?? ''}${outcome}`,
  ].join('  ');
}
