import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { starterSourceName } from '@cairn/ingest';
import type { GoldQuestion } from '@cairn/retrieve';
import { loadGoldSet, starterNotesDirectory } from '@cairn/starter-corpus';

/**
 * How a retrieved page is named in a set's questions: `slug` is the note's file name
 * without its extension (the starter notes); `url-path` is the path of the page's URL
 * without a trailing slash (`/guides/staff-archetypes`), stable across copies of a site.
 */
export type PageKey = 'slug' | 'url-path';

export interface DevSet {
  name: string;
  description: string;
  /** The directory of notes that `ingestDirectory` ingests (markdown with front matter, or HTML). */
  notesDirectory: string;
  questions: GoldQuestion[];
  pageKey: PageKey;
}

/** The committed development sets (questions, and excerpts where a set has them). */
export const devSetsDirectory = resolve(starterNotesDirectory, '..', 'dev-sets');

/** Where apps/cli/scripts/build-dev-set.ts writes a full set built from a local copy of a site (git-ignored). */
export const builtDevSetsDirectory = resolve('.cairn', 'dev-sets');

/** A set that cannot be found or read; the message says how to build or name it. */
export class DevSetError extends Error {
  override name = 'DevSetError';
}

interface SetManifest {
  name?: string;
  description?: string;
  notes?: string;
  questions?: string;
  pageKey?: PageKey;
}

/** The path part of a page's URL, without a trailing slash; a locator that is not a URL stays as it is. */
export function urlPathKey(url: string): string {
  if (!URL.canParse(url)) return url.replace(/\.(md|markdown|html?)$/i, '');
  const path = new URL(url).pathname.replace(/\/+$/, '');
  return path || '/';
}

function readSetDirectory(directory: string): DevSet {
  const manifestPath = join(directory, 'set.json');
  const manifest: SetManifest = existsSync(manifestPath) ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as SetManifest) : {};
  const notesDirectory = resolve(directory, manifest.notes ?? 'notes');
  const questionsPath = resolve(directory, manifest.questions ?? 'questions.json');
  if (!existsSync(notesDirectory) || !existsSync(questionsPath)) {
    throw new DevSetError(`The set in ${directory} needs a notes directory and a questions file (see docs/evaluation.md)`);
  }
  return {
    name: manifest.name ?? basename(directory),
    description: manifest.description ?? '',
    notesDirectory,
    questions: JSON.parse(readFileSync(questionsPath, 'utf8')) as GoldQuestion[],
    pageKey: manifest.pageKey ?? 'url-path',
  };
}

/**
 * Finds a set by name or path: `starter-notes` is the gold set over the starter notes; a
 * name is looked up among the committed sets, then among the sets built into
 * `.cairn/dev-sets/`; anything else is a directory holding `set.json` (optional),
 * `notes/` and `questions.json`.
 */
export function loadDevSet(nameOrPath: string): DevSet {
  if (nameOrPath === starterSourceName) {
    return {
      name: starterSourceName,
      description: 'The gold set over the starter notes',
      notesDirectory: starterNotesDirectory,
      questions: loadGoldSet(),
      pageKey: 'slug',
    };
  }
  const isName = /^[a-z0-9][a-z0-9._-]*$/.test(nameOrPath);
  const candidates = isName ? [join(devSetsDirectory, nameOrPath), join(builtDevSetsDirectory, nameOrPath)] : [resolve(nameOrPath)];
  for (const directory of candidates) {
    if (
      existsSync(join(directory, 'questions.json')) &&
      (existsSync(join(directory, 'notes')) || existsSync(join(directory, 'set.json')))
    ) {
      return readSetDirectory(directory);
    }
  }
  throw new DevSetError(
    isName
      ? `No set named ${nameOrPath}: build it with \`node --import tsx apps/cli/scripts/build-dev-set.ts <copy of the site>\` (docs/evaluation.md), or pass a directory`
      : `No set in ${resolve(nameOrPath)}: a set is a directory with notes/ and questions.json`,
  );
}
