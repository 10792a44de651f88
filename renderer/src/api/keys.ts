import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CreatedKeyResponse,
  KeyCreateRequest,
  KeyPatchRequest,
  KeyResponse,
  KeysResponse,
} from '../../../contracts/virtual-keys.ts';
import { getJson, patchJson, postJson } from './client.ts';
import { queryKeys } from './hooks.ts';

function keyPath(id: string, suffix = ''): string {
  return `/api/keys/${encodeURIComponent(id)}${suffix}`;
}

/** Every virtual key with its spend; refreshed while the page is open, as spend moves with traffic. */
export function useKeys() {
  return useQuery({
    queryKey: queryKeys.keys,
    queryFn: ({ signal }) => getJson<KeysResponse>('/api/keys', signal),
    refetchInterval: 10_000,
  });
}

function useRefreshKeys() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: queryKeys.keys });
}

/**
 * The answer holds the new key's secret: the page shows it from the mutation's data and calls
 * reset() once the user is done, and the list is refetched rather than fed the answer, so the
 * secret never enters the query cache.
 */
export function useCreateKey() {
  const refresh = useRefreshKeys();
  return useMutation({
    mutationFn: (request: KeyCreateRequest) => postJson<CreatedKeyResponse>('/api/keys', request),
    onSuccess: refresh,
  });
}

export function useUpdateKey(id: string) {
  const refresh = useRefreshKeys();
  return useMutation({
    mutationFn: (patch: KeyPatchRequest) => patchJson<KeyResponse>(keyPath(id), patch),
    onSuccess: refresh,
  });
}

export function useRevokeKey(id: string) {
  const refresh = useRefreshKeys();
  return useMutation({
    mutationFn: () => postJson<KeyResponse>(keyPath(id, '/revoke'), {}),
    onSuccess: refresh,
  });
}
