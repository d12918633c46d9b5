/** A document reduced to what chunking needs: headings (with anchors) and text blocks, in order. */
export type OutlineBlock = { kind: 'heading'; level: number; text: string; anchor: string | null } | { kind: 'text'; text: string };

export interface DocumentOutline {
  title: string;
  author: string | null;
  publishedAt: Date | null;
  /** Where citations link (for a note: the original it summarises). */
  url: string;
  kind: 'article' | 'note';
  topics: string[];
  frameworks: string[];
  blocks: OutlineBlock[];
}

/** The longest title, author and heading a document keeps, in characters (code points). */
export const outlineLimits = { title: 300, author: 200, heading: 300, anchor: 200 } as const;

/** A text cut to `limit` code points, with an ellipsis where it was cut. */
function cut(text: string, limit: number): string {
  const characters = Array.from(text);
  return characters.length <= limit
    ? text
    : `${characters
        .slice(0, limit - 1)
        .join('')
        .trimEnd()}…`;
}

/**
 * An outline whose title, author and headings are cut to a name's length: a page may carry a
 * title of megabytes, and each answer citing it would carry (and check) all of it, and each
 * conversation store it again. The body's text is not cut.
 */
export function boundedOutline(outline: DocumentOutline): DocumentOutline {
  const over =
    outline.title.length > outlineLimits.title ||
    (outline.author?.length ?? 0) > outlineLimits.author ||
    outline.blocks.some(
      (block) =>
        block.kind === 'heading' && (block.text.length > outlineLimits.heading || (block.anchor?.length ?? 0) > outlineLimits.anchor),
    );
  if (!over) return outline;
  return {
    ...outline,
    title: cut(outline.title, outlineLimits.title),
    author: outline.author === null ? null : cut(outline.author, outlineLimits.author),
    blocks: outline.blocks.map((block) =>
      block.kind === 'heading'
        ? {
            ...block,
            text: cut(block.text, outlineLimits.heading),
            anchor: block.anchor === null || block.anchor.length <= outlineLimits.anchor ? block.anchor : null,
          }
        : block,
    ),
  };
}
