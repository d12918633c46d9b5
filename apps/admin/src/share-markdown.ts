import type { Citation } from './api/types.js';

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
const linkText = (text: string) => oneLine(text).replace(/([[\]\\])/g, '\\$1');
const linkTarget = (url: string) => (/[\s()<>]/.test(url) ? `<${url.replace(/[<>\s]/g, encodeURIComponent)}>` : url);

/** One citation as a footnote: `[^n]: [Title](url), Author, source › section: “quote”`, missing parts left out. */
export function citationFootnote(citation: Citation): string {
  const section = citation.heading.split(' › ').slice(1).join(' › ');
  const where = [citation.author, [citation.source, section].filter(Boolean).join(' › ')].filter(Boolean).join(', ');
  const kind = citation.kind === 'note' ? ' (a note in our words; the link is the original it summarises)' : '';
  return `[^${citation.n}]: [${linkText(citation.title)}](${linkTarget(citation.url)})${where ? `, ${oneLine(where)}` : ''}${kind}: “${oneLine(citation.quote)}”`;
}

/**
 * An answer as Markdown to paste elsewhere: the question, the answer with each `[n]` that
 * names a citation turned into a footnote reference `[^n]`, then the footnotes with their
 * sources and quotes, and the permalink when there is one.
 */
export function shareableMarkdown({
  question,
  answer,
  citations,
  permalink,
}: {
  question?: string | null | undefined;
  answer: string;
  citations: readonly Citation[];
  permalink?: string | undefined;
}): string {
  const numbers = new Set(citations.map((citation) => citation.n));
  const body = answer.replace(/\[(\d{1,3})\](?!\()/g, (marker, digits: string) => (numbers.has(Number(digits)) ? `[^${digits}]` : marker));
  const parts = [];
  if (question?.trim()) parts.push(`> **Question:** ${oneLine(question)}`);
  parts.push(body.trim());
  if (citations.length > 0)
    parts.push(
      [...citations]
        .sort((a, b) => a.n - b.n)
        .map(citationFootnote)
        .join('\n'),
    );
  if (permalink) parts.push(`From Cairn: ${permalink}`);
  return `${parts.join('\n\n')}\n`;
}
