import type { Embedder } from '@cairn/embed';
import type { Store } from '@cairn/store';
import { starterNotesDirectory } from '@cairn/starter-corpus';
import { ingestDirectory, type IngestDirectoryResult } from './ingest-directory.js';
import type { PassageContextWriter } from './passage-context.js';

export const starterSourceName = 'starter-notes';

/**
 * Loads the bundled starter notes into an empty database (no documents at all), so that
 * a fresh install answers with citations at once. Returns undefined when not empty.
 */
export async function loadStarterCorpus(
  store: Store,
  embedder: Embedder,
  options: { force?: boolean; passageContext?: PassageContextWriter | undefined } = {},
): Promise<IngestDirectoryResult | undefined> {
  const { documents } = await store.documents.countActive();
  if (documents > 0 && !options.force) return undefined;
  return ingestDirectory(store, embedder, {
    directory: starterNotesDirectory,
    sourceName: starterSourceName,
    trigger: 'startup',
    // The starter notes are Cairn's own: where a checkout moved, the source follows its notes.
    replace: true,
    passageContext: options.passageContext,
  });
}
