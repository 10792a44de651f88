import type { RequestsByArm } from '../../../../contracts/savings.ts';
import { formatCount, formatShare, shareOf } from '../../format.ts';

const ARMS: ReadonlyArray<{ arm: keyof RequestsByArm; label: string; detail: string }> = [
  { arm: 'treatment', label: 'Optimized', detail: 'every enabled optimizer runs' },
  { arm: 'control', label: 'Control group', detail: 'held out of every optimizer, for the proof' },
  { arm: 'experiment', label: 'Experiments', detail: 'A/B tests of optimizer settings' },
  { arm: 'unassigned', label: 'Unassigned', detail: 'sent before a control group was configured' },
];

export function ArmCounts({ arms }: { arms: RequestsByArm }) {
  const total = arms.treatment + arms.control + arms.experiment + arms.unassigned;
  return (
    <section className="card" aria-labelledby="arms-heading">
      <div className="card-header">
        <h2 id="arms-heading">Requests by group</h2>
        <p>{formatCount(total)} in the period</p>
      </div>
      <div className="table-wrap">
        <table className="table" data-testid="requests-by-arm">
          <caption className="visually-hidden">Requests by proof-of-value group</caption>
          <thead>
            <tr>
              <th scope="col">Group</th>
              <th scope="col" className="right">
                Requests
              </th>
              <th scope="col" className="right">
                Share
              </th>
            </tr>
          </thead>
          <tbody>
            {ARMS.map(({ arm, label, detail }) => (
              <tr key={arm} data-testid={`arm-${arm}`} data-count={arms[arm]}>
                <th scope="row">
                  {label}
                  <div className="subtle">{detail}</div>
                </th>
                <td className="num right">{formatCount(arms[arm])}</td>
                <td className="num right">{formatShare(shareOf(arms[arm], total))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
