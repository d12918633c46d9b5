import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { api } from '../api/client.js';
import { useSources } from '../api/queries.js';
import type { Source, SourceList, SourceSettings } from '../api/types.js';
import { bucketLabel, FreshnessChart, FreshnessLegend } from '../components/FreshnessChart.js';
import { ErrorNotice, QueryState } from '../components/QueryState.js';
import { SourceForm } from '../components/SourceForm.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { dateTime, timeAgo } from '../format.js';

/** Only what the form changed: a directory source keeps its non-URL base, for one. */
function changedSettings(source: Source, settings: SourceSettings): Partial<SourceSettings> {
  const changes: Partial<SourceSettings> = {};
  for (const key of Object.keys(settings) as (keyof SourceSettings)[]) {
    if (JSON.stringify(settings[key]) !== JSON.stringify(source[key])) (changes as Record<string, unknown>)[key] = settings[key];
  }
  return changes;
}

function When({ iso }: { iso: string | null }) {
  return iso ? (
    <time dateTime={iso} title={dateTime(iso)}>
      {timeAgo(iso)}
    </time>
  ) : (
    <span className="muted">never</span>
  );
}

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** A web source that has never been crawled: no run, no pages. */
export const neverCrawled = (source: Source) => source.kind === 'web' && source.lastRun === null && source.documents === 0;

/**
 * What a crawl of the source will fetch, from what the API knows: its page cap before the
 * first crawl ("up to 2,000 pages"), the pages it has beside the cap after; a directory's notes.
 */
export function crawlEstimate(source: Source): string {
  if (source.kind === 'directory') return count(source.documents, 'note');
  if (neverCrawled(source)) return `up to ${count(source.maxPages, 'page')}`;
  return `${count(source.documents, 'page')} now, up to ${source.maxPages.toLocaleString('en')}`;
}

/** On a first run: the web sources are configured but not crawled, and how to crawl them. */
function FirstRun({ sources }: { sources: Source[] }) {
  const waiting = sources.filter(neverCrawled);
  const web = sources.filter((source) => source.kind === 'web');
  if (waiting.length === 0 || waiting.length < web.length) return null;
  const notes = sources.filter((source) => source.kind === 'directory').reduce((sum, source) => sum + source.documents, 0);
  return (
    <section className="callout" aria-labelledby="first-run-title">
      <h2 id="first-run-title">The web sources are configured, not crawled yet</h2>
      <p>
        {notes > 0 ? <>Cairn answers from its {count(notes, 'starter note')} for now. </> : null}
        The {count(waiting.length, 'site')} below ({waiting.map((source) => source.name).join(', ')}) are set up with their sitemaps, feeds,
        include and exclude patterns and a page cap; crawling them is a separate step you start. Use <strong>Crawl now</strong> on a source:
        the crawl runs in the background, politely (one page at a time per site, robots.txt obeyed, a delay between pages), and its progress
        shows on <Link href="/runs">Runs</Link>. Each source says how many pages it may fetch.
      </p>
    </section>
  );
}

/** The freshness numbers as a table: the charts' accessible twin. */
function FreshnessTable({ data }: { data: SourceList }) {
  const buckets = data.sources[0]?.freshness ?? [];
  return (
    <details className="freshness-table">
      <summary>Pages by age since the last crawl, as a table</summary>
      <div className="table-scroll">
        <table>
          <caption>Active pages by days since each was last crawled, and the pages that vanished</caption>
          <thead>
            <tr>
              <th scope="col">Source</th>
              {buckets.map((bucket) => (
                <th scope="col" key={bucket.fromDays}>
                  {bucketLabel(bucket)}
                </th>
              ))}
              <th scope="col">vanished</th>
            </tr>
          </thead>
          <tbody>
            {data.sources.map((source) => (
              <tr key={source.id}>
                <th scope="row">{source.name}</th>
                {source.freshness.map((bucket) => (
                  <td key={bucket.fromDays} className={bucket.stale && bucket.pages > 0 ? 'warn' : undefined}>
                    {bucket.pages}
                  </td>
                ))}
                <td>{source.tombstoned}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/** Each source with its state, counts and freshness; edit it or start a (first) crawl. */
export function SourcesPage() {
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const [editing, setEditing] = useState<Source | 'new' | null>(null);
  const sources = useSources();
  // The button that opened the form gets focus back when it closes (saved, cancelled, Escape).
  const opener = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (editing !== null || !opener.current) return;
    opener.current.focus();
    opener.current = null;
  }, [editing]);

  const save = useMutation({
    mutationFn: (settings: SourceSettings) =>
      editing === 'new' || editing === null
        ? api<Source>('/v1/sources', { body: settings })
        : api<Source>(`/v1/sources/${editing.id}`, { method: 'PATCH', body: changedSettings(editing, settings) }),
    onSuccess: async () => {
      setEditing(null);
      await queryClient.invalidateQueries({ queryKey: ['sources'] });
    },
  });
  const openForm = (target: HTMLElement, form: Source | 'new') => {
    opener.current = target;
    save.reset();
    setEditing(form);
  };
  const ingest = useMutation({
    mutationFn: (sourceId: string) => api<{ runId: string }>('/v1/ingest/runs', { body: { sourceId } }),
    onSuccess: async ({ runId }) => {
      await queryClient.invalidateQueries({ queryKey: ['runs'] });
      navigate(`/runs/${runId}`);
    },
  });

  return (
    <section aria-labelledby="sources-title">
      <div className="page-head">
        <h1 id="sources-title">Sources</h1>
        <button type="button" onClick={(event) => openForm(event.currentTarget, 'new')} disabled={editing !== null}>
          Add source
        </button>
      </div>
      {editing !== null && (
        <SourceForm
          key={editing === 'new' ? 'new' : editing.id}
          source={editing === 'new' ? undefined : editing}
          saving={save.isPending}
          error={save.error}
          onSave={(settings) => save.mutate(settings)}
          onCancel={() => setEditing(null)}
        />
      )}
      {ingest.isError && <ErrorNotice error={ingest.error} title="The run did not start" />}
      <QueryState
        query={sources}
        isEmpty={(data) => data.sources.length === 0}
        empty="No sources yet: add one."
        loadingLabel="Loading sources…"
      >
        {(data) => (
          <>
            <FirstRun sources={data.sources} />
            <FreshnessLegend staleAfterDays={data.staleAfterDays} />
            <div className="table-scroll">
              <table className="sources">
                <caption>
                  Freshness: a page last crawled more than {data.staleAfterDays} days ago is stale; a vanished page left search when the
                  site dropped it.
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Source</th>
                    <th scope="col">State</th>
                    <th scope="col">Documents</th>
                    <th scope="col">Chunks</th>
                    <th scope="col">Stale</th>
                    <th scope="col">Vanished</th>
                    <th scope="col">Freshness</th>
                    <th scope="col">Crawled</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {data.sources.map((source) => {
                    const first = neverCrawled(source);
                    const estimateId = `estimate-${source.id}`;
                    return (
                      <tr key={source.id} data-source={source.name}>
                        <th scope="row">
                          <span className="source-name">{source.name}</span>
                          <br />
                          <span className="muted small">{source.kind === 'web' ? source.baseUrl : 'directory of notes'}</span>
                        </th>
                        <td>
                          {source.enabled ? 'enabled' : <span className="muted">disabled</span>}
                          <br />
                          {source.lastRun ? (
                            <Link href={`/runs/${source.lastRun.id}`} aria-label={`Last run of ${source.name}: ${source.lastRun.status}`}>
                              <StatusBadge status={source.lastRun.status} />{' '}
                              <When iso={source.lastRun.finishedAt ?? source.lastRun.createdAt} />
                            </Link>
                          ) : (
                            <span className="muted">{first ? 'not crawled yet' : 'no runs yet'}</span>
                          )}
                        </td>
                        <td>{source.documents}</td>
                        <td>{source.chunks}</td>
                        <td className={source.stale > 0 ? 'warn' : undefined}>{source.stale}</td>
                        <td>{source.tombstoned}</td>
                        <td>
                          <FreshnessChart name={source.name} freshness={source.freshness} vanished={source.tombstoned} />
                        </td>
                        <td className="small">
                          {source.newestFetch ? (
                            <>
                              {source.kind === 'directory' ? 'added' : 'newest'} <When iso={source.newestFetch} />
                              {source.oldestFetch && source.oldestFetch !== source.newestFetch && (
                                <>
                                  <br />
                                  oldest <When iso={source.oldestFetch} />
                                </>
                              )}
                            </>
                          ) : (
                            <span className="muted">never</span>
                          )}
                        </td>
                        <td className="actions">
                          {source.kind === 'directory' ? (
                            <span className="muted small directory-note">
                              read from a directory: <code>cairn ingest --dir</code> updates it
                            </span>
                          ) : (
                            <>
                              <button
                                type="button"
                                className={first ? 'primary' : undefined}
                                onClick={() => ingest.mutate(source.id)}
                                disabled={ingest.isPending}
                                aria-label={first ? `Crawl ${source.name} now` : `Re-ingest ${source.name}`}
                                aria-describedby={estimateId}
                              >
                                {first ? 'Crawl now' : 'Re-ingest'}
                              </button>
                              <button
                                type="button"
                                onClick={(event) => openForm(event.currentTarget, source)}
                                disabled={editing !== null}
                                aria-label={`Edit ${source.name}`}
                              >
                                Edit
                              </button>
                            </>
                          )}
                          <br />
                          <span id={estimateId} className="hint estimate">
                            {crawlEstimate(source)}
                          </span>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <FreshnessTable data={data} />
          </>
        )}
      </QueryState>
    </section>
  );
}
