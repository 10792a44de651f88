import type { OverviewResponse, UsageBreakdown } from '../../../../contracts/control-api.ts';
import { RankedList, type RankedEntry } from '../../components/RankedList.tsx';
import { plural } from '../../format.ts';

function entries(lines: readonly UsageBreakdown[]): RankedEntry[] {
  return lines.map((line) => ({
    key: line.key,
    costNanos: line.costNanos,
    detail: plural(line.requests, 'request'),
  }));
}

const GROUPS = [
  { id: 'provider', title: 'By provider', pick: (d: OverviewResponse) => d.byProvider },
  { id: 'model', title: 'By model', pick: (d: OverviewResponse) => d.byModel },
  { id: 'key', title: 'By key or project', pick: (d: OverviewResponse) => d.byKey },
] as const;

export function Breakdowns({ data }: { data: OverviewResponse }) {
  return (
    <section aria-labelledby="breakdown-heading" className="stack" style={{ gap: 12 }}>
      <h2 id="breakdown-heading">Where the spend goes</h2>
      <div className="grid-3">
        {GROUPS.map((group) => (
          <div className="card" key={group.id}>
            <div className="card-header">
              <h3 id={`by-${group.id}`}>{group.title}</h3>
            </div>
            <RankedList
              label={`Spend ${group.title.toLowerCase()}`}
              entries={entries(group.pick(data))}
              total={data.totals.costNanos}
              limit={6}
              testId={`breakdown-${group.id}`}
            />
          </div>
        ))}
      </div>
    </section>
  );
}
