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
