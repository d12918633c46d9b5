import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** This package's directory, found by name: the same from its source and from the compiled runtime. */
const packageDirectory = dirname(createRequire(import.meta.url).resolve('@cairn/starter-corpus/package.json'));

/** The directory of the team's notes (markdown with front matter). */
export const starterNotesDirectory = join(packageDirectory, 'notes') + '/';

export interface GoldQuestion {
  id: string;
  question: string;
  /** Slugs (file names without `.md`) of the notes a good search returns, most relevant first. */
  expected: string[];
}

/** The retrieval evaluation set over the starter notes. */
export function loadGoldSet(): GoldQuestion[] {
  return JSON.parse(readFileSync(join(packageDirectory, 'gold-set.json'), 'utf8')) as GoldQuestion[];
}
