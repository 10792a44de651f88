import type { RouteFrontier } from '../../../../contracts/savings.ts';
import { Badge } from '../../components/Badge.tsx';
import { formatMoney, formatShare } from '../../format.ts';

// Past this many routes the page would turn into a wall of tables; the API has them all.
const MAX_ROUTES = 12;

function latency(ms: number): string {
  return ms < 1_000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

function RouteTable({ route }: { route: RouteFrontier }) {
  const dominatedBy = (id: string) => route.frontier.filter((p) => p.dominates.includes(id)).map((p) => p.id);
  return (
    <div className="card" data-testid="pareto-route" data-route={route.route}>
      <div className="card-header">
        <h3 className="mono">{route.route}</h3>
      </div>
      <div className="table-wrap" tabIndex={0} role="region" aria-label={`Configurations on ${route.route}`}>
        <table className="table">
          <caption className="visually-hidden">
            Cost, latency and quality per configuration on {route.route}
          </caption>
          <thead>
            <tr>
              <th scope="col">Configuration</th>
              <th scope="col" className="right">
                Cost / request
              </th>
              <th scope="col" className="right">
                p50 latency
              </th>
              <th scope="col" className="right">
                Quality
              </th>
            </tr>
          </thead>
          <tbody>
            {route.frontier.map((p) => (
              <tr key={p.id} data-testid="pareto-frontier">
                <th scope="row">
                  <span className="mono">{p.id}</span> <Badge tone="success">frontier</Badge>
                </th>
                <td className="num right">{formatMoney(p.costNanosPerRequest)}</td>
                <td className="num right">{latency(p.latencyMsP50)}</td>
                <td className="num right">{formatShare(p.quality)}</td>
              </tr>
            ))}
            {route.dominated.map((id) => (
              <tr key={id} data-testid="pareto-dominated">
                <th scope="row">
                  <span className="mono">{id}</span> <Badge>dominated</Badge>
                </th>
                <td colSpan={3} className="subtle">
                  beaten on cost, latency and quality by{' '}
                  <span className="mono">{dominatedBy(id).join(', ')}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/**
 * Each route's configurations (group × model served) on cost, latency and quality. A frontier point is
 * one nothing else beats on all three at once; a dominated one is a configuration to retire.
 */
export function ParetoTables({ routes }: { routes: readonly RouteFrontier[] }) {
  const shown = routes.slice(0, MAX_ROUTES);
  return (
    <section aria-labelledby="pareto-heading" className="stack" style={{ gap: 12 }} data-testid="pareto">
      <div className="section-title">
        <h2 id="pareto-heading">Cost, latency and quality by route</h2>
        <p>quality is the share of requests that succeeded</p>
      </div>
      {shown.length === 0 ? (
        <p className="subtle">No routes in this period.</p>
      ) : (
        shown.map((r) => <RouteTable key={r.route} route={r} />)
      )}
      {routes.length > shown.length ? (
        <p className="subtle">and {routes.length - shown.length} more routes, in GET /api/savings.</p>
      ) : null}
    </section>
  );
}
