import type { VirtualKeyInfo } from '../../../../contracts/virtual-keys.ts';
import { Badge } from '../../components/Badge.tsx';
import { formatCountCompact, formatDateTime, formatMoney } from '../../format.ts';

/** A date without the time, for narrow columns; the full time is in the title. */
function DateCell({ ms }: { ms: number }) {
  const date = new Date(ms);
  return (
    <time className="num" dateTime={date.toISOString()} title={formatDateTime(ms)}>
      {date.toLocaleDateString('en-US', { dateStyle: 'medium' })}
    </time>
  );
}

interface Actions {
  onEdit: (key: VirtualKeyInfo) => void;
  onRevoke: (key: VirtualKeyInfo) => void;
}

/** Active keys first, newest first; revoked ones after them, most recently revoked first. */
export function sortKeys(keys: readonly VirtualKeyInfo[]): VirtualKeyInfo[] {
  return [...keys].sort((a, b) => {
    if ((a.revokedAt === null) !== (b.revokedAt === null)) return a.revokedAt === null ? -1 : 1;
    return (b.revokedAt ?? b.createdAt) - (a.revokedAt ?? a.createdAt);
  });
}

/** "x of y" with a bar; the bar turns amber from 80% and red once the budget is spent. */
function BudgetCell({ spent, budget, period }: { spent: number; budget: number | null; period: string }) {
  if (budget === null) {
    return (
      <div className="key-budget">
        <span className="num">{formatMoney(spent)}</span>
        <span className="subtle">no {period} budget</span>
      </div>
    );
  }
  const share = budget > 0 ? Math.min(1, spent / budget) : 1;
  const tone = share >= 1 ? 'danger' : share >= 0.8 ? 'warning' : 'ok';
  return (
    <div className="key-budget">
      <span className="num">
        {formatMoney(spent)} <span className="subtle">of</span> {formatMoney(budget)}
      </span>
      <span className="key-bar" data-tone={tone} aria-hidden="true">
        <span style={{ width: `${(share * 100).toFixed(1)}%` }} />
      </span>
    </div>
  );
}

function LimitsCell({ keyInfo }: { keyInfo: VirtualKeyInfo }) {
  if (keyInfo.rpm === null && keyInfo.tpm === null) return <span className="subtle">none</span>;
  return (
    <div className="key-limits num">
      {keyInfo.rpm !== null ? <span>{formatCountCompact(keyInfo.rpm)} req/min</span> : null}
      {keyInfo.tpm !== null ? <span>{formatCountCompact(keyInfo.tpm)} tok/min</span> : null}
    </div>
  );
}

function ModelsCell({ keyInfo }: { keyInfo: VirtualKeyInfo }) {
  if (keyInfo.models.length === 0) return <span className="subtle">any model</span>;
  return (
    <ul className="key-chips" aria-label={`Models allowed for ${keyInfo.name}`}>
      {keyInfo.models.map((model) => (
        <li key={model} className="key-chip mono">
          {model}
        </li>
      ))}
    </ul>
  );
}

function StatusCell({ keyInfo }: { keyInfo: VirtualKeyInfo }) {
  if (keyInfo.revokedAt === null) return <Badge tone="success">Active</Badge>;
  return (
    <div className="key-status">
      <Badge>Revoked</Badge>
      <span className="subtle">
        on <DateCell ms={keyInfo.revokedAt} />
      </span>
    </div>
  );
}

function KeyRow({ keyInfo, actions }: { keyInfo: VirtualKeyInfo; actions: Actions }) {
  const active = keyInfo.revokedAt === null;
  return (
    <tr data-testid="key-row" data-key-id={keyInfo.id} data-status={active ? 'active' : 'revoked'}>
      <th scope="row">
        <div className="key-name">{keyInfo.name}</div>
        <code className="key-hint">{keyInfo.hint}</code>
        <div className="subtle">
          created <DateCell ms={keyInfo.createdAt} />
        </div>
      </th>
      <td>{keyInfo.project ?? <span className="subtle">none</span>}</td>
      <td>
        <BudgetCell spent={keyInfo.spendTodayNanos} budget={keyInfo.budgetDailyNanos} period="daily" />
      </td>
      <td>
        <BudgetCell spent={keyInfo.spendMonthNanos} budget={keyInfo.budgetMonthlyNanos} period="monthly" />
      </td>
      <td>
        <LimitsCell keyInfo={keyInfo} />
      </td>
      <td>
        <ModelsCell keyInfo={keyInfo} />
      </td>
      <td>
        <StatusCell keyInfo={keyInfo} />
      </td>
      <td className="right">
        {active ? (
          <div className="key-actions">
            <button
              type="button"
              className="btn btn--sm"
              onClick={() => actions.onEdit(keyInfo)}
              aria-label={`Edit ${keyInfo.name}`}
              data-testid="key-edit"
            >
              Edit
            </button>
            <button
              type="button"
              className="btn btn--sm btn--danger"
              onClick={() => actions.onRevoke(keyInfo)}
              aria-label={`Revoke ${keyInfo.name}`}
              data-testid="key-revoke"
            >
              Revoke
            </button>
          </div>
        ) : null}
      </td>
    </tr>
  );
}

const COLUMNS = ['Key', 'Project', 'Spend today', 'Spend this month', 'Rate limits', 'Models', 'Status'];

export function KeyTable({ keys, ...actions }: { keys: readonly VirtualKeyInfo[] } & Actions) {
  return (
    <div className="table-wrap">
      <table className="table key-table" data-testid="key-table">
        <caption className="visually-hidden">
          Virtual keys with their budgets, spend so far (UTC day and month), limits and status
        </caption>
        <thead>
          <tr>
            {COLUMNS.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sortKeys(keys).map((key) => (
            <KeyRow key={key.id} keyInfo={key} actions={actions} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
