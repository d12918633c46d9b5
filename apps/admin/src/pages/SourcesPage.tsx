import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { api } from '../api/client.js';
import { useSources } from '../api/queries.js';
import type { Source, SourceSettings } from '../api/types.js';
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

/** Each source with its state, counts and freshness; edit it or start a re-ingestion. */
export function SourcesPage() {
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const [editing, setEditing] = useState<Source | 'new' | null>(null);
  const sources = useSources();

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
        <button
          type="button"
          onClick={() => {
            save.reset();
            setEditing('new');
          }}
          disabled={editing !== null}
        >
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
          <div className="table-scroll">
            <table className="sources">
              <caption>
                Freshness: a page last crawled more than {data.staleAfterDays} days ago is stale; a vanished page left search when the site
                dropped it.
              </caption>
              <thead>
                <tr>
                  <th scope="col">Source</th>
                  <th scope="col">State</th>
                  <th scope="col">Documents</th>
                  <th scope="col">Chunks</th>
                  <th scope="col">Stale</th>
                  <th scope="col">Vanished</th>
                  <th scope="col">Oldest crawl</th>
                  <th scope="col">Newest crawl</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {data.sources.map((source) => (
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
                        <span className="muted">no runs yet</span>
                      )}
                    </td>
                    <td>{source.documents}</td>
                    <td>{source.chunks}</td>
                    <td className={source.stale > 0 ? 'warn' : undefined}>{source.stale}</td>
                    <td>{source.tombstoned}</td>
                    <td>
                      <When iso={source.oldestFetch} />
                    </td>
                    <td>
                      <When iso={source.newestFetch} />
                    </td>
                    <td className="actions">
                      <button
                        type="button"
                        onClick={() => ingest.mutate(source.id)}
                        disabled={ingest.isPending}
                        aria-label={`Re-ingest ${source.name}`}
                      >
                        Re-ingest
                      </button>
                      <button
                        type="button"
                        onClick={() => {
                          save.reset();
                          setEditing(source);
                        }}
                        disabled={editing !== null}
                        aria-label={`Edit ${source.name}`}
                      >
                        Edit
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
    </section>
  );
}
