import { useQuery } from '@tanstack/react-query';
import { api } from './client.js';
import type { SourceList } from './types.js';

/** The sources with their counts and freshness: one cached query that every page shares. */
export function useSources() {
  return useQuery({ queryKey: ['sources'], queryFn: ({ signal }) => api<SourceList>('/v1/sources', { signal }) });
}
