import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.js';
import type { Run, SourceList } from './types.js';

/** The sources with their counts and freshness: one cached query that every page shares. */
export function useSources() {
  return useQuery({ queryKey: ['sources'], queryFn: ({ signal }) => api<SourceList>('/v1/sources', { signal }) });
}

/** Cancels a queued or running run (POST /v1/ingest/runs/:id/cancel), then refreshes the runs and sources. */
export function useCancelRun() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (runId: string) => api<Run>(`/v1/ingest/runs/${encodeURIComponent(runId)}/cancel`, { method: 'POST' }),
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: ['runs'] });
      await queryClient.invalidateQueries({ queryKey: ['sources'] });
    },
  });
}
