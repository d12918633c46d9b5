import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { Citation } from '../api/types.js';
import { dateOnly, dateTime, timeAgo } from '../format.js';

function When({ iso, relative }: { iso: string; relative: boolean }) {
  return (
    <time dateTime={iso} title={dateTime(iso)}>
      {relative ? timeAgo(iso) : dateOnly(iso)}
    </time>
  );
}

/**
 * The citations of one answer: who wrote it, where, which section, the quoted span, when
 * it was published and last crawled (for one of the team's notes: when it was added), and
 * a link to the section (`url#anchor`). What is not known is left out, not printed as
 * "unknown". The selected citation is scrolled to and focused; Escape lets go of it and
 * returns focus to the `[n]` that opened it (`onClose`).
 */
export function CitationsPanel({
  citations,
  selected,
  idPrefix = 'citation',
  title = 'Citations',
  onClose,
  selectionKey,
}: {
  citations: readonly Citation[];
  selected?: number | undefined;
  idPrefix?: string;
  title?: string;
  onClose?: () => void;
  /** Changes with each selection, so that choosing the same [n] again brings it back into view and focus. */
  selectionKey?: number;
}) {
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    if (selected === undefined) return;
    const item = list.current?.querySelector<HTMLElement>(`#${CSS.escape(`${idPrefix}-${selected}`)}`);
    item?.scrollIntoView?.({ block: 'nearest' });
    item?.focus({ preventScroll: true });
  }, [selected, idPrefix, citations, selectionKey]);

  function onKeyDown(event: KeyboardEvent) {
    if (event.key !== 'Escape' || selected === undefined) return;
    event.preventDefault();
    const marker = document.querySelector<HTMLElement>(`a.cite-marker[href="#${CSS.escape(`${idPrefix}-${selected}`)}"]`);
    onClose?.();
    marker?.focus();
  }

  if (citations.length === 0) return <p className="state state-empty">No citations.</p>;
  return (
    <section aria-label={title} className="citations" onKeyDown={onKeyDown}>
      <h2>{title}</h2>
      <ol ref={list}>
        {citations.map((citation) => {
          const section = citation.heading.split(' › ').slice(1).join(' › ');
          const note = citation.kind === 'note';
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
                {note && <span className="badge">note</span>}
              </div>
              <dl className="citation-meta">
                {citation.author && (
                  <div>
                    <dt>Author</dt>
                    <dd>{citation.author}</dd>
                  </div>
                )}
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
                {citation.publishedAt && (
                  <div>
                    <dt>Published</dt>
                    <dd>
                      <When iso={citation.publishedAt} relative={false} />
                    </dd>
                  </div>
                )}
                {citation.fetchedAt && (
                  <div>
                    <dt>{note ? 'Added' : 'Last crawled'}</dt>
                    <dd>
                      <When iso={citation.fetchedAt} relative={!note} />
                    </dd>
                  </div>
                )}
              </dl>
              <blockquote className="citation-quote">{citation.quote}</blockquote>
              {note && <p className="hint">A note in the team's words; the link opens the original it summarises.</p>}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
