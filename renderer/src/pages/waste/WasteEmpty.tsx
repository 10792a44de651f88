import { EmptyState } from '../../components/States.tsx';
import { WasteIcon } from '../../components/icons.tsx';

export function WasteEmpty() {
  return (
    <EmptyState icon={<WasteIcon />} title="No bills imported yet" testId="waste-empty">
      <p>
        Drop a bill or usage export above and Apex shows where the money goes and what is wasted: idle GPUs,
        missed prompt caching, oversized models, duplicate prompts, spend spikes. Files stay on this machine.
      </p>
      <p>
        No export at hand? The repository ships sample bills in <code>resources/samples/</code>: drop them all
        at once to see a full report.
      </p>
    </EmptyState>
  );
}
