import { useCallback, useState } from 'react';
import type { UsageEvent } from '../../../../contracts/usage.ts';
import { useLiveEvents } from '../../api/live.ts';
import { CheckIcon } from '../../components/icons.tsx';
import { formatCount, formatMoney } from '../../format.ts';

/** Waits on /api/live for the first request through the proxy and shows what it was and cost. */
export function FirstRequest({ demo }: { demo: boolean }) {
  const [first, setFirst] = useState<UsageEvent | null>(null);
  const onEvent = useCallback((event: UsageEvent) => setFirst((current) => current ?? event), []);
  const connection = useLiveEvents(onEvent, first === null);

  if (first === null) {
    return (
      <div
        className="first-request"
        role="status"
        data-testid="onboarding-first-request"
        data-state="waiting"
      >
        <span className="pulse" aria-hidden="true" />
        <div>
          <strong>Waiting for your first request…</strong>
          <p className="subtle">
            {connection === 'reconnecting'
              ? 'The live connection dropped; reconnecting.'
              : demo
                ? 'Demo traffic is running, so one should arrive within seconds.'
                : 'Run the snippet above; the request shows up here the moment it finishes.'}
          </p>
        </div>
      </div>
    );
  }

  const model = first.modelServed ?? first.modelRequested;
  const failed = first.status >= 400;
  return (
    <div
      className="first-request first-request--done"
      role="status"
      data-testid="onboarding-first-request"
      data-state="received"
    >
      <span className="first-request-icon" aria-hidden="true">
        <CheckIcon />
      </span>
      <div>
        <strong>Apex saw your first request.</strong>
        <p>
          <span data-testid="first-request-model">{model}</span> via {first.provider},{' '}
          {formatCount(first.inputTokens)} → {formatCount(first.outputTokens)} tokens, cost{' '}
          <strong className="num" data-testid="first-request-cost">
            {formatMoney(first.costNanos)}
          </strong>
          {failed ? ` (the provider answered ${first.status} ${first.errorClass ?? ''})` : ''}.
        </p>
      </div>
    </div>
  );
}
