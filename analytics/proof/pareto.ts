/**
 * Pareto frontier of configurations per route over cost per request (lower is better), median latency
 * (lower is better) and quality (higher is better): the configurations worth choosing between, and
 * for each the configurations it makes obsolete.
 *
 * A dominates B when A is no worse on all three and strictly better on at least one, so identical
 * operating points never dominate each other and both stay on the frontier; output order is total
 * (cost, latency, quality descending, then id) so equal inputs always give byte-equal reports.
 * A point with a non-finite coordinate cannot be compared honestly: it is treated as worst on that
 * axis, which keeps it off the frontier unless nothing else exists on the route.
 */
import type { FrontierPoint, ParetoPoint, RouteFrontier } from '../../contracts/savings.ts';

/** The non-dominated configurations of each route, routes sorted by name. */
export function paretoFrontiers(points: readonly ParetoPoint[]): RouteFrontier[] {
  const byRoute = new Map<string, ParetoPoint[]>();
  for (const p of points) {
    const list = byRoute.get(p.route);
    if (list) list.push(p);
    else byRoute.set(p.route, [p]);
  }
  return [...byRoute.keys()]
    .sort(compareStrings)
    .map((route) => routeFrontier(route, byRoute.get(route) ?? []));
}

function routeFrontier(route: string, points: readonly ParetoPoint[]): RouteFrontier {
  const sorted = [...points].sort(comparePoints);
  const frontier: FrontierPoint[] = [];
  const dominated: string[] = [];
  for (const p of sorted) {
    if (sorted.some((q) => dominates(q, p))) {
      dominated.push(p.id);
      continue;
    }
    const beaten = sorted.filter((q) => dominates(p, q)).map((q) => q.id);
    frontier.push({ ...p, dominates: beaten.sort(compareStrings) });
  }
  return { route, frontier, dominated: dominated.sort(compareStrings) };
}

/** Whether a is no worse than b on every axis and strictly better on one. */
export function dominates(a: ParetoPoint, b: ParetoPoint): boolean {
  const ca = lowerIsBetter(a.costNanosPerRequest);
  const cb = lowerIsBetter(b.costNanosPerRequest);
  const la = lowerIsBetter(a.latencyMsP50);
  const lb = lowerIsBetter(b.latencyMsP50);
  const qa = higherIsBetter(a.quality);
  const qb = higherIsBetter(b.quality);
  if (ca > cb || la > lb || qa < qb) return false;
  return ca < cb || la < lb || qa > qb;
}

function lowerIsBetter(v: number): number {
  return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
}

function higherIsBetter(v: number): number {
  return Number.isFinite(v) ? v : Number.NEGATIVE_INFINITY;
}

function comparePoints(a: ParetoPoint, b: ParetoPoint): number {
  return (
    compareNumbers(lowerIsBetter(a.costNanosPerRequest), lowerIsBetter(b.costNanosPerRequest)) ||
    compareNumbers(lowerIsBetter(a.latencyMsP50), lowerIsBetter(b.latencyMsP50)) ||
    compareNumbers(higherIsBetter(b.quality), higherIsBetter(a.quality)) ||
    compareStrings(a.id, b.id)
  );
}

function compareNumbers(a: number, b: number): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

// Code-unit order, not localeCompare: the order must not depend on the machine's locale.
function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
