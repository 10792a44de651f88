/**
 * A simulated month of demo traffic → the savings report, with the control-group estimate beside
 * the counterfactual sum. Run: `node bench/savings/run.ts [--days 30] [--per-day 1500] [--users 2000]`.
 */
import { parseArgs } from 'node:util';
import { buildSavingsReport } from '../../analytics/proof/savings-report.ts';
import { formatMoney } from '../../common/money-format.ts';
import { OPTIMIZERS } from '../../contracts/optimization.ts';
import type { SavingsReport } from '../../contracts/savings.ts';
import { DEMO_OPTIMIZERS } from '../../server/demo.ts';
import { simulateMonth } from './month.ts';

const { values } = parseArgs({
  options: {
    days: { type: 'string', default: '30' },
    'per-day': { type: 'string', default: '1500' },
    users: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '7' },
    'control-share': { type: 'string', default: '0.05' },
  },
});

const month = await simulateMonth({
  days: Number(values.days),
  requestsPerDay: Number(values['per-day']),
  users: Number(values.users),
  seed: Number(values.seed),
  concurrency: 8,
  optimizers: DEMO_OPTIMIZERS,
  proof: { controlShare: Number(values['control-share']) },
});
const report = buildSavingsReport(month.db, { fromMs: month.fromMs, toMs: month.toMs });
console.log(
  `simulated ${values.days} days: ${month.requests.toLocaleString('en-US')} requests ` +
    `(${month.failures} failed) in ${month.wallSeconds.toFixed(1)} s`,
);
printReport(report);

function printReport(r: SavingsReport): void {
  const arms = r.requestsByArm;
  console.log(`arms: treatment ${arms.treatment}, control ${arms.control}, experiments ${arms.experiment}`);
  const t = r.treatment;
  console.log(`treatment baseline ${money(t.baselineCostNanos)}  actual ${money(t.actualCostNanos)}`);
  console.log(
    `counterfactual savings ${money(t.savingsNanos)} (${percent(t.savingsNanos / t.baselineCostNanos)})`,
  );
  for (const optimizer of OPTIMIZERS) {
    if (t.byOptimizer[optimizer] !== 0)
      console.log(`  ${optimizer.padEnd(15)} ${money(t.byOptimizer[optimizer])}`);
  }
  const c = r.controlEstimate;
  console.log(`control group: ${c.controlUnits} units, ${c.controlRequests} requests; status ${c.status}`);
  if (c.savingsNanos !== null && c.savingsInterval) {
    const rate = c.savingRateInterval;
    console.log(
      `  cost/request control ${money(c.controlCostPerRequestNanos ?? 0)} treatment ${money(c.treatmentCostPerRequestNanos ?? 0)}`,
    );
    console.log(
      `  saving rate ${percent(c.savingRate ?? 0)} [${percent(rate?.lower ?? 0)}, ${percent(rate?.upper ?? 0)}]`,
    );
    console.log(
      `  realized savings ${money(c.savingsNanos)}, ${Math.round(c.confidence * 100)}% CI ` +
        `[${money(c.savingsInterval.lower)}, ${money(c.savingsInterval.upper)}]`,
    );
  }
  console.log(
    `  counterfactual sum ${money(c.counterfactualSavingsNanos)} inside the interval: ${c.counterfactualInside}`,
  );
  console.log(
    `billing: ${r.billing.basis}, billable ${money(r.billing.billableSavingsNanos)}, fee ${money(r.billing.feeNanos)}`,
  );
}

function money(nanos: number): string {
  return formatMoney(nanos);
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}
