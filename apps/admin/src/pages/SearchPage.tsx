import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api } from '../api/client.js';
import { useSources } from '../api/queries.js';
import type { SearchResponse } from '../api/types.js';
import { QueryState } from '../components/QueryState.js';
import { RanksTable, type RankedRow } from '../components/RanksTable.js';
import { StageRanksChart } from '../components/StageRanksChart.js';

interface SearchRequest {
  query: string;
  k: number;
  source: string;
}

/** Runs a search and shows each passage's rank at each stage: dense, keyword, page, fused and reranked. */
export function SearchPage() {
  const id = useId();
  const [query, setQuery] = useState('');
  const [k, setK] = useState('10');
  const [source, setSource] = useState('');
  const [submitted, setSubmitted] = useState<SearchRequest | null>(null);
  const sources = useSources();
  const search = useQuery({
    queryKey: ['search', submitted],
    enabled: submitted !== null,
    queryFn: ({ signal }) =>
      api<SearchResponse>('/v1/search', {
        signal,
        body: { query: submitted!.query, k: submitted!.k, ...(submitted!.source ? { filters: { sources: [submitted!.source] } } : {}) },
      }),
  });

  return (
    <section aria-labelledby="search-title">
      <div className="page-head">
        <h1 id="search-title">Search inspector</h1>
      </div>
      <form
        className="search-form"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          if (query.trim()) setSubmitted({ query: query.trim(), k: Number(k), source });
        }}
      >
        <label htmlFor={`${id}-q`}>Query</label>
        <input
          id={`${id}-q`}
          type="search"
          value={query}
          maxLength={2000}
          onChange={(event) => setQuery(event.target.value)}
          placeholder="staff engineer archetypes"
        />
        <label htmlFor={`${id}-k`}>Results (k)</label>
        <input id={`${id}-k`} type="number" min={1} max={50} value={k} onChange={(event) => setK(event.target.value)} />
        <label htmlFor={`${id}-source`}>Source</label>
        <select id={`${id}-source`} value={source} onChange={(event) => setSource(event.target.value)}>
          <option value="">All sources</option>
          {sources.data?.sources.map((item) => (
            <option key={item.id} value={item.name}>
              {item.name}
            </option>
          ))}
        </select>
        <button type="submit" disabled={!query.trim()}>
          Search
        </button>
      </form>
      {submitted === null ? (
        <p className="state state-empty">
          Run a query to see how the dense (vector) and keyword lists rank each passage, where fusion and page evidence put it, and where
          the reranker puts it.
        </p>
      ) : (
        <QueryState query={search} isEmpty={(data) => data.results.length === 0} empty="No passage matches." loadingLabel="Searching…">
          {(data) => {
            const rows: RankedRow[] = data.results.map((result, index) => ({
              key: result.chunkId,
              rank: index + 1,
              score: result.score,
              ranks: result.ranks,
              title: result.title,
              heading: result.heading,
              url: result.url,
              source: result.source,
            }));
            return (
              <>
                <p className="muted">
                  {data.results.length} passages in {data.timings.totalMs.toFixed(1)} ms (embedding {data.timings.embedMs.toFixed(1)} ms,
                  dense {data.timings.denseMs.toFixed(1)} ms, keyword {data.timings.keywordMs.toFixed(1)} ms
                  {data.reranker ? `, reranked by ${data.reranker} in ${data.timings.rerankMs.toFixed(1)} ms` : ', not reranked'}).
                </p>
                <StageRanksChart rows={rows} />
                <RanksTable caption={`Results for “${submitted.query}”`} reranker={data.reranker} rows={rows} />
              </>
            );
          }}
        </QueryState>
      )}
    </section>
  );
}
