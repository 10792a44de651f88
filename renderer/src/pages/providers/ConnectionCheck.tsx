import { useMutation } from '@tanstack/react-query';
import type { ProviderCheckResponse } from '../../../../contracts/control-api.ts';
import { errorMessage, postJson } from '../../api/client.ts';

/** "Test connection": one model-list call to the provider with the key Apex holds for it. */
export function ConnectionCheck({ provider }: { provider: string }) {
  const check = useMutation({
    mutationFn: () => postJson<ProviderCheckResponse>('/api/providers/check', { name: provider }),
  });
  const result = check.data;
  return (
    <div className="connection-check" data-testid="connection-check">
      <button
        type="button"
        className="btn"
        onClick={() => check.mutate()}
        disabled={check.isPending}
        data-testid="connection-check-button"
      >
        {check.isPending ? 'Testing…' : 'Test connection'}
      </button>
      <p
        role="status"
        aria-live="polite"
        data-testid="connection-check-result"
        data-ok={result ? String(result.ok) : undefined}
      >
        {check.isError ? errorMessage(check.error) : null}
        {result
          ? `${result.ok ? '✓' : '✗'} ${result.message}${result.status ? ` (HTTP ${result.status}, ${result.latencyMs} ms)` : ''}`
          : null}
      </p>
    </div>
  );
}
