import { OPTIMIZERS } from '../../../../contracts/optimization.ts';
import type { SavingsTotals } from '../../../../contracts/savings.ts';
import { RankedList, type RankedEntry } from '../../components/RankedList.tsx';
import { formatMoney } from '../../format.ts';
import { OPTIMIZER_LABELS } from './labels.ts';

/** Which optimizer earned the savings; what none of them claimed is stated, not hidden. */
export function OptimizerSavings({ totals }: { totals: SavingsTotals }) {
  const entries: RankedEntry[] = OPTIMIZERS.filter((o) => totals.byOptimizer[o] > 0).map((o) => ({
    key: OPTIMIZER_LABELS[o],
    costNanos: totals.byOptimizer[o],
  }));
  const unattributed = totals.unattributedNanos;
  return (
    <section className="card" aria-labelledby="by-optimizer-heading">
      <div className="card-header">
        <h2 id="by-optimizer-heading">Savings by optimizer</h2>
        <p>share of realized savings</p>
      </div>
      <div data-testid="savings-by-optimizer">
        {entries.length === 0 ? (
          <p className="subtle">No optimizer has saved anything in this period yet.</p>
        ) : (
          <RankedList
            label="Savings by optimizer"
            entries={entries}
            total={Math.max(totals.savingsNanos, 0)}
            limit={OPTIMIZERS.length}
          />
        )}
      </div>
      {unattributed !== 0 ? (
        <p className="subtle" data-testid="unattributed-savings" style={{ marginTop: 12 }}>
          {unattributed > 0
            ? `${formatMoney(unattributed)} saved that no single optimizer claims (for example a cheaper model's smaller answer).`
            : `${formatMoney(-unattributed)} of the optimizers' claimed savings were given back elsewhere on the same requests.`}
        </p>
      ) : null}
    </section>
  );
}
