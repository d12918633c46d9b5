import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { Source, SourceSettings } from '../api/types.js';
import { ErrorNotice } from './QueryState.js';

const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

/** Add a web source, or change a source's settings. It takes focus when it opens; Escape cancels it. */
export function SourceForm({
  source,
  onSave,
  onCancel,
  saving,
  error,
}: {
  source?: Source | undefined;
  onSave: (settings: SourceSettings) => void;
  onCancel: () => void;
  saving: boolean;
  error?: unknown;
}) {
  const id = useId();
  const [name, setName] = useState(source?.name ?? '');
  const [baseUrl, setBaseUrl] = useState(source?.baseUrl ?? 'https://');
  const [seeds, setSeeds] = useState((source?.seeds ?? []).join('\n'));
  const [include, setInclude] = useState((source?.include ?? []).join('\n'));
  const [exclude, setExclude] = useState((source?.exclude ?? []).join('\n'));
  const [maxPages, setMaxPages] = useState(String(source?.maxPages ?? 1000));
  const [crawlDelayMs, setCrawlDelayMs] = useState(String(source?.crawlDelayMs ?? 1000));
  const [schedule, setSchedule] = useState(source?.schedule ?? '');
  const [enabled, setEnabled] = useState(source?.enabled ?? true);
  const nameInput = useRef<HTMLInputElement>(null);
  useEffect(() => nameInput.current?.focus(), []);

  function submit(event: FormEvent) {
    event.preventDefault();
    onSave({
      name: name.trim(),
      baseUrl: baseUrl.trim(),
      seeds: lines(seeds),
      include: lines(include),
      exclude: lines(exclude),
      maxPages: Number(maxPages),
      crawlDelayMs: Number(crawlDelayMs),
      schedule: schedule.trim() || null,
      enabled,
    });
  }

  const field = (suffix: string) => `${id}-${suffix}`;
  return (
    <form
      className="source-form"
      onSubmit={submit}
      aria-label={source ? `Edit ${source.name}` : 'Add a source'}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          onCancel();
        }
      }}
    >
      <h2>{source ? `Edit ${source.name}` : 'Add a source'}</h2>
      <div className="fields">
        <label htmlFor={field('name')}>Name</label>
        <input
          id={field('name')}
          ref={nameInput}
          value={name}
          required
          pattern="[a-z0-9][a-z0-9._\-]{0,63}"
          onChange={(event) => setName(event.target.value)}
          aria-describedby={field('name-hint')}
        />
        <span id={field('name-hint')} className="hint">
          Lower-case letters, digits, dot, dash, underscore.
        </span>

        <label htmlFor={field('base')}>Base URL</label>
        <input id={field('base')} type="url" value={baseUrl} required onChange={(event) => setBaseUrl(event.target.value)} />

        <label htmlFor={field('seeds')}>Seeds (one per line)</label>
        <textarea
          id={field('seeds')}
          value={seeds}
          rows={2}
          onChange={(event) => setSeeds(event.target.value)}
          placeholder="Sitemaps, feeds or start pages; default: /sitemap.xml and the base URL"
        />

        <label htmlFor={field('include')}>Include patterns (one per line)</label>
        <textarea
          id={field('include')}
          value={include}
          rows={2}
          onChange={(event) => setInclude(event.target.value)}
          placeholder="Regular expressions on the URL"
        />

        <label htmlFor={field('exclude')}>Exclude patterns (one per line)</label>
        <textarea id={field('exclude')} value={exclude} rows={2} onChange={(event) => setExclude(event.target.value)} />

        <label htmlFor={field('max')}>Page cap</label>
        <input
          id={field('max')}
          type="number"
          min={1}
          max={100000}
          required
          value={maxPages}
          onChange={(event) => setMaxPages(event.target.value)}
        />

        <label htmlFor={field('delay')}>Crawl delay (ms)</label>
        <input
          id={field('delay')}
          type="number"
          min={0}
          max={60000}
          required
          value={crawlDelayMs}
          onChange={(event) => setCrawlDelayMs(event.target.value)}
        />

        <label htmlFor={field('schedule')}>Re-ingestion schedule (cron)</label>
        <input
          id={field('schedule')}
          value={schedule}
          onChange={(event) => setSchedule(event.target.value)}
          placeholder="e.g. 0 3 * * 1 (blank: none)"
        />

        <label className="checkbox">
          <input type="checkbox" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} /> Enabled
        </label>
      </div>
      {error !== undefined && error !== null && <ErrorNotice error={error} title="Not saved" />}
      <div className="form-actions">
        <button type="submit" disabled={saving}>
          {saving ? 'Saving…' : source ? 'Save changes' : 'Add source'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
