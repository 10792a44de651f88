import { keepPreviousData, QueryClient, useQuery } from '@tanstack/react-query';
import type {
  EvidenceRequest,
  EvidenceResponse,
  OverviewResponse,
  ProvidersResponse,
  RequestsResponse,
  SavingsResponse,
  StatusResponse,
} from '../../../contracts/control-api.ts';
import type { WasteReport } from '../../../contracts/waste-report.ts';
import { ApiError, getJson, postJson } from './client.ts';

export const queryKeys = {
  status: ['status'] as const,
  overview: (days: number) => ['overview', days] as const,
  requests: (limit: number) => ['requests', limit] as const,
  providers: ['providers'] as const,
  report: ['report'] as const,
  savings: (days: number) => ['savings', days] as const,
  evidence: (findingId: string, offset: number) => ['evidence', findingId, offset] as const,
  keychain: ['keychain'] as const,
  keys: ['keys'] as const,
};

/** Client errors (bad input, missing token) do not get better by asking again; outages might. */
function shouldRetry(failures: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failures < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { retry: shouldRetry, staleTime: 5_000 } },
  });
}

export function useStatus() {
  return useQuery({
    queryKey: queryKeys.status,
    queryFn: ({ signal }) => getJson<StatusResponse>('/api/status', signal),
    staleTime: 60_000,
  });
}

export function useOverview(days: number) {
  return useQuery({
    queryKey: queryKeys.overview(days),
    queryFn: ({ signal }) => getJson<OverviewResponse>(`/api/usage/overview?days=${days}`, signal),
    refetchInterval: 10_000,
    placeholderData: keepPreviousData,
  });
}

export function useRecentRequests(limit: number) {
  return useQuery({
    queryKey: queryKeys.requests(limit),
    queryFn: ({ signal }) => getJson<RequestsResponse>(`/api/usage/requests?limit=${limit}`, signal),
    // Fresh history each time the page opens; after that the live stream keeps the table current,
    // and background refetches would only reshuffle rows under the reader.
    staleTime: Infinity,
    refetchOnMount: 'always',
    refetchOnWindowFocus: false,
  });
}

export function useProviders() {
  return useQuery({
    queryKey: queryKeys.providers,
    queryFn: ({ signal }) => getJson<ProvidersResponse>('/api/providers', signal),
    staleTime: 30_000,
  });
}

export function useReport() {
  return useQuery({
    queryKey: queryKeys.report,
    queryFn: ({ signal }) => getJson<WasteReport>('/api/report', signal),
    staleTime: 60_000,
  });
}

export function useSavings(days: number) {
  return useQuery({
    queryKey: queryKeys.savings(days),
    queryFn: ({ signal }) => getJson<SavingsResponse>(`/api/savings?days=${days}`, signal),
    // The server caches the report for 30 s, so asking more often would only repeat it.
    refetchInterval: 30_000,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });
}

export function useEvidence(
  findingId: string,
  filter: EvidenceRequest['filter'],
  offset: number,
  limit: number,
) {
  return useQuery({
    queryKey: queryKeys.evidence(findingId, offset),
    queryFn: ({ signal }) =>
      postJson<EvidenceResponse>(
        '/api/evidence',
        { filter, offset, limit } satisfies EvidenceRequest,
        signal,
      ),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}
