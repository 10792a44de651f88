import type { ExperimentReport, Interval } from '../../../../contracts/savings.ts';
import { Badge } from '../../components/Badge.tsx';
import { formatCount, formatMoney } from '../../format.ts';
import { decisionLabel, formatPValue } from './labels.ts';

function money(nanos: number | null): string {
  return nanos === null ? '—' : formatMoney(nanos);
}

function interval(i: Interval | null): string {
  return i === null ? 'no interval yet' : `${formatMoney(i.lower)} – ${formatMoney(i.upper)}`;
}

function ExperimentRow({ experiment: x }: { experiment: ExperimentReport }) {
  const decision = decisionLabel(x.test);
  return (
    <tr data-testid={`experiment-${x.name}`}>
      <th scope="row">{x.name}</th>
      <td className="num right">
        {formatCount(x.requestsA)} / {formatCount(x.requestsB)}
      </td>
      <td className="num right">
        {money(x.test.meanA)} / {money(x.test.meanB)}
      </td>
      <td className="num right">
        {money(x.test.difference)}
        <div className="subtle">{interval(x.test.confidenceSequence)}</div>
      </td>
      <td className="num right">{formatPValue(x.test.pValue)}</td>
      <td>
        <Badge tone={decision.tone}>{decision.label}</Badge>
      </td>
    </tr>
  );
}

/**
 * A/B tests of optimizer settings on cost per request. The tests are always valid, so reading them
 * every day does not inflate false wins; "keep collecting" is the honest answer until one arm wins.
 */
export function ExperimentsTable({ experiments }: { experiments: readonly ExperimentReport[] }) {
  return (
    <section className="card" aria-labelledby="experiments-heading">
      <div className="card-header">
        <h2 id="experiments-heading">Experiments</h2>
        <p>cost per request per user, B − A</p>
      </div>
      {experiments.length === 0 ? (
        <p className="subtle" data-testid="experiments-none">
          No A/B experiments ran in this period.
        </p>
      ) : (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Experiments table">
          <table className="table" data-testid="experiments-table">
            <caption className="visually-hidden">A/B experiments on cost per request</caption>
            <thead>
              <tr>
                <th scope="col">Experiment</th>
                <th scope="col" className="right">
                  Requests A / B
                </th>
                <th scope="col" className="right">
                  Mean A / B
                </th>
                <th scope="col" className="right">
                  Difference (confidence sequence)
                </th>
                <th scope="col" className="right">
                  p-value
                </th>
                <th scope="col">Decision</th>
              </tr>
            </thead>
            <tbody>
              {experiments.map((x) => (
                <ExperimentRow key={x.name} experiment={x} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
