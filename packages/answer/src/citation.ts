import type { RetrievedPassage } from '@cairn/core';

/** A numbered citation: which passage backs `[n]`, and the span of it that was used. */
export interface Citation {
  n: number;
  url: string;
  title: string;
  author: string | null;
  source: string;
  heading: string;
  /** A span of the passage text, verbatim. */
  quote: string;
  chunkId: string;
  /** `note` when the passage is one of the team's notes (its url is the original summarised). */
  kind: 'article' | 'note';
  publishedAt: string | null;
  /** When the cited page was last crawled. */
  fetchedAt?: string | null;
}

/** How a citation is listed under an answer: a note says it is one and links the original. */
export function citationLine(citation: Citation): string {
  const by = [citation.author, citation.source].filter(Boolean).join(', ');
  const section = citation.heading.split(' › ').slice(1).at(-1);
  const where = section ? `"${citation.title}" (${section})` : `"${citation.title}"`;
  return citation.kind === 'note'
    ? `[${citation.n}] Note: ${where}, summarising ${by}: ${citation.url}`
    : `[${citation.n}] ${where}, ${by}: ${citation.url}`;
}

/** The citation `[n]` of a passage, quoting `quote` (a verbatim span of the passage text). */
export function citationFor(passage: RetrievedPassage, n: number, quote: string): Citation {
  return {
    n,
    url: passage.url,
    title: passage.title,
    author: passage.author,
    source: passage.source,
    heading: passage.heading,
    quote,
    chunkId: passage.chunkId,
    kind: passage.kind,
    publishedAt: passage.publishedAt,
    fetchedAt: passage.fetchedAt ?? null,
  };
}
