import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { api } from '../api/client.js';
import { useCancelRun, useSources } from '../api/queries.js';
import type { Run, RunCounts, RunDetail } from '../api/types.js';
import { ErrorNotice, QueryState } from '../components/QueryState.js';
import { RunProgress, useNow } from '../components/RunProgress.js';
import { RunsTimeline } from '../components/RunsTimeline.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { dateTime, timeAgo } from '../format.js';

const live = (status: Run['status']) => status === 'queued' || status === 'running';

/**
 * Cancel for a queued or running run, in two steps so that one stray click or key press
 * does not stop a crawl: "Cancel run" asks, then "Yes, cancel run" or "Keep running"
 * (Escape too). Focus moves to the question, and back when the run is kept.
 */
function CancelRun({ run, name }: { run: Run; name: string }) {
  const cancel = useCancelRun();
  const [asking, setAsking] = useState(false);
  const asked = useRef(false);
  const askButton = useRef<HTMLButtonElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) confirmButton.current?.focus();
    else if (asked.current) askButton.current?.focus();
  }, [asking]);
  if (cancel.isSuccess) return <span role="status">Cancelled</span>;
  if (!live(run.status)) return null;
  const keep = () => {
    asked.current = true;
    setAsking(false);
  };
  return (
    <span className="cancel-run">
      {asking ? (
        <span
          role="group"
          aria-label={`Cancel the run of ${name}?`}
          onKeyDown={(event) => {
            if (event.key === 'Escape') keep();
          }}
        >
          <span>Stop it? Pages stored so far stay.</span>{' '}
          <button type="button" ref={confirmButton} onClick={() => cancel.mutate(run.id)} disabled={cancel.isPending}>
            Yes, cancel run
          </button>{' '}
          <button type="button" onClick={keep} disabled={cancel.isPending}>
            Keep running
          </button>
        </span>
      ) : (
        <button type="button" ref={askButton} onClick={() => setAsking(true)} aria-label={`Cancel the run of ${name}`}>
          Cancel run
        </button>
      )}
      {cancel.isError && (
        <span role="alert" className="error-text">
          {' '}
          {cancel.error.message}
        </span>
      )}
    </span>
  );
}

/** A ledger URL as a link when it is one (an interruption's entry of a run of all sources is not). */
function LedgerUrl({ url }: { url: string }) {
  if (!/^https?:\/\//.test(url)) return <>{url}</>;
  return (
    <a href={url} target="_blank" rel="noopener noreferrer">
      {url}
    </a>
  );
}

function useSourceNames() {
  const sources = useSources();
  return (id: string | null) =>
    id === null ? 'all sources' : (sources.data?.sources.find((source) => source.id === id)?.name ?? id.slice(0, 8));
}

/** No runs yet: what a run is, and one button that starts the first (every enabled source). */
function NoRuns() {
  const sources = useSources();
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const start = useMutation({
    mutationFn: () => api<{ runId: string }>('/v1/ingest/runs', { body: {} }),
    onSuccess: async ({ runId }) => {
      await queryClient.invalidateQueries({ queryKey: ['runs'] });
      navigate(`/runs/${runId}`);
    },
  });
  const enabled = sources.data?.sources.filter((source) => source.enabled) ?? [];
  const web = enabled.filter((source) => source.kind === 'web');
  const cap = web.reduce((sum, source) => sum + source.maxPages, 0);
  return (
    <div className="empty-rich">
      <h2>No ingestion runs yet</h2>
      <p>
        A run crawls a source's pages (or reads a directory of notes again): it fetches each page, stores what changed, drops what vanished,
        and records every URL in a ledger you can open here. Runs start from <Link href="/sources">Sources</Link>, on a source's schedule,
        or with <code>cairn ingest</code>.
      </p>
      <div className="form-actions">
        <button type="button" className="primary" onClick={() => start.mutate()} disabled={start.isPending || enabled.length === 0}>
          {start.isPending ? 'Starting…' : 'Crawl all enabled sources'}
        </button>
        <Link href="/sources">Or choose one source</Link>
      </div>
      {enabled.length > 0 && (
        <p className="hint">
          {enabled.length} enabled {enabled.length === 1 ? 'source' : 'sources'}
          {web.length > 0 && (
            <>
              : up to {cap.toLocaleString('en')} pages from {web.map((source) => source.name).join(', ')}
            </>
          )}
        </p>
      )}
      {start.isError && <ErrorNotice error={start.error} title="The run did not start" />}
    </div>
  );
}

/** Recent runs on a timeline and in a table, refreshed every second while one is queued or running. */
export function RunsPage() {
  const runs = useQuery({
    queryKey: ['runs'],
    queryFn: ({ signal }) => api<{ runs: Run[] }>('/v1/ingest/runs?limit=100', { signal }),
    refetchInterval: (query) => (query.state.data?.runs.some((run) => live(run.status)) ? 1000 : false),
  });
  const sourceName = useSourceNames();
  const now = useNow(runs.data?.runs.some((run) => live(run.status)) ?? false);
  return (
    <section aria-labelledby="runs-title">
      <div className="page-head">
        <h1 id="runs-title">Ingestion runs</h1>
      </div>
      <QueryState query={runs} isEmpty={(data) => data.runs.length === 0} empty={<NoRuns />} loadingLabel="Loading runs…">
        {(data) => (
          <>
            <RunsTimeline runs={data.runs} now={now} name={sourceName} />
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Run</th>
                    <th scope="col">Source</th>
                    <th scope="col">Status</th>
                    <th scope="col">Progress</th>
                    <th scope="col">Changed</th>
                    <th scope="col">Unchanged</th>
                    <th scope="col">Failed</th>
                    <th scope="col">Chunks</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {data.runs.map((run) => (
                    <tr key={run.id}>
                      <td>
                        <Link href={`/runs/${run.id}`}>
                          <time dateTime={run.createdAt} title={dateTime(run.createdAt)}>
                            {timeAgo(run.createdAt)}
                          </time>
                        </Link>{' '}
                        <span className="muted small">{run.trigger}</span>
                      </td>
                      <td>{sourceName(run.sourceId)}</td>
                      <td>
                        <StatusBadge status={run.status} />
                      </td>
                      <td>
                        <RunProgress run={run} />
                      </td>
                      <td>{run.counts.fetched}</td>
                      <td>{run.counts.unchanged}</td>
                      <td className={run.counts.failed > 0 ? 'warn' : undefined}>{run.counts.failed}</td>
                      <td>
                        +{run.counts.chunksAdded} / −{run.counts.chunksRemoved}
                      </td>
                      <td className="actions">
                        <CancelRun run={run} name={sourceName(run.sourceId)} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </QueryState>
    </section>
  );
}

/** One run: live progress, counts, error and the per-URL ledger. */
export function RunDetailPage({ id }: { id: string }) {
  const run = useQuery({
    queryKey: ['runs', id],
    queryFn: ({ signal }) => api<RunDetail>(`/v1/ingest/runs/${encodeURIComponent(id)}`, { signal }),
    refetchInterval: (query) => (query.state.data && live(query.state.data.status) ? 1000 : false),
  });
  const sourceName = useSourceNames();
  return (
    <section aria-labelledby="run-title">
      <p>
        <Link href="/runs">← All runs</Link>
      </p>
      <QueryState query={run} loadingLabel="Loading the run…">
        {(data) => (
          <>
            <div className="page-head">
              <h1 id="run-title">
                Run of {sourceName(data.sourceId)} <StatusBadge status={data.status} />
              </h1>
              <CancelRun run={data} name={sourceName(data.sourceId)} />
            </div>
            <div aria-live="polite" className="run-summary">
              <RunProgress run={data} wide />
              <dl className="counts">
                {(Object.entries(data.counts) as [keyof RunCounts, number][]).map(([name, value]) => (
                  <div key={name}>
                    <dt>{name.replace(/([A-Z])/g, ' $1').toLowerCase()}</dt>
                    <dd data-count={name}>{value}</dd>
                  </div>
                ))}
              </dl>
              <p className="muted">
                Started by {data.trigger} · created {dateTime(data.createdAt)}
              </p>
            </div>
            {data.error && (
              <div role="alert" className="state state-error">
                <strong>{data.status === 'cancelled' ? 'The run was cancelled:' : 'The run failed:'}</strong> {data.error}
              </div>
            )}
            <h2>Ledger</h2>
            {data.items.length === 0 ? (
              <p className="state state-empty">{live(data.status) ? 'No pages yet.' : 'This run recorded no pages.'}</p>
            ) : (
              <div className="table-scroll">
                <table className="ledger">
                  <caption>Every URL the run handled, in order</caption>
                  <thead>
                    <tr>
                      <th scope="col">URL</th>
                      <th scope="col">HTTP</th>
                      <th scope="col">Outcome</th>
                      <th scope="col">Chunks</th>
                      <th scope="col">Embedding tokens</th>
                      <th scope="col">Error</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((item) => (
                      <tr key={item.id} data-outcome={item.outcome}>
                        <td className="url">
                          <LedgerUrl url={item.url} />
                        </td>
                        <td>{item.httpStatus ?? '—'}</td>
                        <td>
                          <span className={`badge outcome-${item.outcome}`}>{item.outcome}</span>
                        </td>
                        <td>
                          +{item.chunksAdded} / −{item.chunksRemoved}
                        </td>
                        <td>{item.embeddingTokens}</td>
                        <td className="error-text">{item.error ?? ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {data.hasMore && (
                  <p className="state state-empty">
                    The first {data.items.length.toLocaleString('en')} entries; the rest of the ledger comes a page at a time from{' '}
                    <code>GET /v1/ingest/runs/{data.id}?after=…</code>, and the counts above cover the whole run.
                  </p>
                )}
              </div>
            )}
          </>
        )}
      </QueryState>
    </section>
  );
}
