import { useEffect, useMemo, useRef } from 'react';
import Markdown, { type Components } from 'react-markdown';
import remarkBreaks from 'remark-breaks';

/** Turns each `[n]` that names a citation into a link the renderer can recognise. */
export function linkCitationMarkers(text: string, numbers: ReadonlySet<number>): string {
  return text.replace(/\[(\d{1,3})\](?!\()/g, (marker, digits: string) =>
    numbers.has(Number(digits)) ? `[\\[${digits}\\]](#cite-${digits})` : marker,
  );
}

/**
 * An answer (model output, or text taken from crawled pages) rendered as sanitised
 * markdown: raw HTML is dropped, images are not loaded (an image URL can carry data
 * away), unsafe URLs are removed by react-markdown, and outside links open in a new tab
 * without the opener or referrer. `[n]` markers become links to the citations panel.
 */
export function AnswerMarkdown({
  text,
  citationNumbers,
  onCite,
  idPrefix = 'citation',
}: {
  text: string;
  citationNumbers: readonly number[];
  onCite?: (n: number) => void;
  idPrefix?: string;
}) {
  const numbers = new Set(citationNumbers);
  // The components keep their identity across renders (a new `a` each render would remount
  // every link, and a focused [n] would lose focus); the latest onCite is read when clicked.
  const cite = useRef(onCite);
  useEffect(() => {
    cite.current = onCite;
  });
  const components = useMemo<Components>(
    () => ({
      // An image is never loaded: its URL could carry the conversation away.
      img({ alt }) {
        return <span className="image-omitted">[image not shown{alt ? `: ${alt}` : ''}]</span>;
      },
      a({ href, children }) {
        const cited = href?.match(/^#cite-(\d+)$/);
        if (cited) {
          const n = Number(cited[1]);
          return (
            <a
              href={`#${idPrefix}-${n}`}
              className="cite-marker"
              aria-label={`Citation ${n}`}
              onClick={(event) => {
                event.preventDefault();
                cite.current?.(n);
              }}
            >
              [{n}]
            </a>
          );
        }
        if (!href) return <span>{children}</span>;
        return (
          <a href={href} target="_blank" rel="noopener noreferrer nofollow">
            {children}
          </a>
        );
      },
    }),
    [idPrefix],
  );
  return (
    <div className="markdown">
      <Markdown skipHtml remarkPlugins={[remarkBreaks]} components={components}>
        {linkCitationMarkers(text, numbers)}
      </Markdown>
    </div>
  );
}
