import { EmptyState } from '../../components/States.tsx';
import { SavingsIcon } from '../../components/icons.tsx';

export function SavingsEmpty() {
  return (
    <EmptyState icon={<SavingsIcon />} title="No savings recorded yet" testId="savings-empty">
      <p>
        The proxy records savings as requests flow through it: for every request it prices what the request
        would have cost without Apex beside what it did cost.
      </p>
      <p>
        To prove those savings, a control group of 5% of your users is held out of every optimizer, and their
        costs are compared with everyone else&apos;s. Figures appear here once requests carry a group.
      </p>
      <p>
        <a href="#/welcome">Connect your SDK</a> to send requests through Apex.
      </p>
    </EmptyState>
  );
}
