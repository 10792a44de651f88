import type { OutgoingHttpHeaders } from 'node:http';
import type { OptimizerName } from '../../contracts/optimization.ts';
import type { Exchange } from '../forward/exchange.ts';

export function decide(exchange: Exchange, optimizer: OptimizerName, outcome: string, detail?: string): void {
  exchange.decisions.push(detail === undefined ? { optimizer, outcome } : { optimizer, outcome, detail });
}

/**
 * The decisions as response headers, so an engineer sees in curl -i what Apex did:
 *   x-apex-arm: treatment
 *   x-apex-optimizations: exact_cache=miss; compression=applied (-23% prompt tokens)
 *   x-apex-cache: hit | miss (the first cache that answered, or miss when one was consulted)
 */
export function decisionHeaders(exchange: Exchange): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  if (exchange.assignment) headers['x-apex-arm'] = exchange.assignment.arm;
  if (exchange.decisions.length === 0) return headers;
  headers['x-apex-optimizations'] = exchange.decisions
    .map(
      ({ optimizer, outcome, detail }) =>
        `${optimizer}=${outcome}${detail ? ` (${headerSafe(detail)})` : ''}`,
    )
    .join('; ');
  const caches = exchange.decisions.filter(
    (d) => d.optimizer === 'exact_cache' || d.optimizer === 'semantic_cache',
  );
  if (caches.length > 0) headers['x-apex-cache'] = caches.some((d) => d.outcome === 'hit') ? 'hit' : 'miss';
  return headers;
}

/** Header values must stay printable ASCII; a reason quoting user text must not break the response. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
}
