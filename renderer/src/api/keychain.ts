import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { queryKeys } from './hooks.ts';

/** Stored key hints by provider; only in Electron, where the preload exposes the OS keychain. */
export function useKeychainHints() {
  const bridge = window.apex;
  return useQuery({
    queryKey: queryKeys.keychain,
    enabled: bridge !== undefined,
    queryFn: async () => {
      const list = (await bridge?.keychain.list()) ?? [];
      return new Map(list.map((entry) => [entry.provider, entry.hint]));
    },
  });
}

interface StoreState {
  pending: boolean;
  error: unknown;
  hint?: string;
}

/**
 * Not a react-query mutation on purpose: a mutation keeps its variables (the key itself) in state
 * until reset. Here the key exists only for the duration of the bridge call.
 */
export function useStoreKey(provider: string) {
  const client = useQueryClient();
  const [state, setState] = useState<StoreState>({ pending: false, error: null });
  const store = useCallback(
    async (key: string) => {
      setState({ pending: true, error: null });
      try {
        if (!window.apex) throw new Error('The OS keychain is only available in the desktop app');
        const { hint } = await window.apex.keychain.store(provider, key);
        setState({ pending: false, error: null, hint });
        await client.invalidateQueries({ queryKey: queryKeys.keychain });
      } catch (error) {
        setState({ pending: false, error });
      }
    },
    [client, provider],
  );
  const reset = useCallback(() => setState({ pending: false, error: null }), []);
  return { ...state, store, reset };
}

export function useRemoveKey(provider: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => window.apex?.keychain.remove(provider),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.keychain }),
  });
}
