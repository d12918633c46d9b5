import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The directory of the team's notes (markdown with front matter). */
export const starterNotesDirectory = fileURLToPath(new URL('../notes/', import.meta.url));

export interface GoldQuestion {
  id: string;
  question: string;
  /** Slugs (file names without `.md`) of the notes a good search returns, most relevant first. */
  expected: string[];
}

/** The retrieval evaluation set over the starter notes. */
export function loadGoldSet(): GoldQuestion[] {
  return JSON.parse(readFileSync(new URL('../gold-set.json', import.meta.url), 'utf8')) as GoldQuestion[];
}
