/** A chunk as a ranked list returns it: what ranking reads, without its text (see SearchRepository.passages). */
export interface SearchCandidate {
  chunkId: string;
  documentId: string;
  kind: 'article' | 'note';
  score: number;
}

/** A passage's text and citation fields. */
export interface SearchPassage {
  chunkId: string;
  documentId: string;
  url: string;
  title: string;
  author: string | null;
  source: string;
  kind: 'article' | 'note';
  heading: string;
  headingPath: string[];
  anchor: string | null;
  text: string;
  publishedAt: Date | null;
  fetchedAt: Date | null;
  frameworks: string[];
}

/** A passage as a statement's JSON has it (passagesQuery, corpusMemoryQuery): dates as milliseconds since 1970. */
export type PassageJson = Omit<SearchPassage, 'publishedAt' | 'fetchedAt'> & { publishedAt: number | null; fetchedAt: number | null };

/** A date of a statement's JSON; one JavaScript cannot hold (beyond ±275,000 years) as null. */
function fromMilliseconds(milliseconds: number | null): Date | null {
  if (milliseconds === null) return null;
  const date = new Date(milliseconds);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A passage of a statement's JSON, its dates as dates (the other fields as they are). */
export function fromPassageJson<Passage extends PassageJson>(
  passage: Passage,
): Omit<Passage, 'publishedAt' | 'fetchedAt'> & Pick<SearchPassage, 'publishedAt' | 'fetchedAt'> {
  return { ...passage, publishedAt: fromMilliseconds(passage.publishedAt), fetchedAt: fromMilliseconds(passage.fetchedAt) };
}
