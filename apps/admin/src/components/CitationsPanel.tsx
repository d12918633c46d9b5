import { useEffect, useRef } from 'react';
import type { Citation } from '../api/types.js';
import { dateOnly, dateTime, timeAgo } from '../format.js';

/**
 * The citations of one answer: who wrote it, where, which section, the quoted span, when
 * it was published and last crawled, and a link to the section (`url#anchor`).
 * The selected citation is scrolled to and focused.
 */
export function CitationsPanel({
  citations,
  selected,
  idPrefix = 'citation',
  title = 'Citations',
}: {
  citations: readonly Citation[];
  selected?: number | undefined;
  idPrefix?: string;
  title?: string;
}) {
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    if (selected === undefined) return;
    const item = list.current?.querySelector<HTMLElement>(`#${CSS.escape(`${idPrefix}-${selected}`)}`);
    item?.scrollIntoView?.({ block: 'nearest' });
    item?.focus();
  }, [selected, idPrefix, citations]);

  if (citations.length === 0) return <p className="state state-empty">No citations.</p>;
  return (
    <section aria-label={title} className="citations">
      <h2>{title}</h2>
      <ol ref={list}>
        {citations.map((citation) => {
          const section = citation.heading.split(' › ').slice(1).join(' › ');
          return (
            <li
              key={`${citation.n}-${citation.chunkId}`}
              id={`${idPrefix}-${citation.n}`}
              tabIndex={-1}
              className={citation.n === selected ? 'citation selected' : 'citation'}
              aria-current={citation.n === selected ? 'true' : undefined}
            >
              <div className="citation-head">
                <span className="citation-n">[{citation.n}]</span>{' '}
                <a href={citation.url} target="_blank" rel="noopener noreferrer" className="citation-title">
                  {citation.title}
                </a>
                {citation.kind === 'note' && <span className="badge">note</span>}
              </div>
              <dl className="citation-meta">
                <div>
                  <dt>Author</dt>
                  <dd>{citation.author ?? 'unknown'}</dd>
                </div>
                <div>
                  <dt>Source</dt>
                  <dd>{citation.source}</dd>
                </div>
                {section && (
                  <div>
                    <dt>Section</dt>
                    <dd>{section}</dd>
                  </div>
                )}
                <div>
                  <dt>Published</dt>
                  <dd>{citation.publishedAt ? dateOnly(citation.publishedAt) : 'unknown'}</dd>
                </div>
                <div>
                  <dt>Last crawled</dt>
                  <dd>
                    {citation.fetchedAt ? (
                      <time dateTime={citation.fetchedAt} title={dateTime(citation.fetchedAt)}>
                        {timeAgo(citation.fetchedAt)}
                      </time>
                    ) : (
                      'not crawled'
                    )}
                  </dd>
                </div>
              </dl>
              <blockquote className="citation-quote">{citation.quote}</blockquote>
              {citation.kind === 'note' && <p className="hint">A note in the team's words; the link opens the original it summarises.</p>}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
