/**
 * Makes the empty snapshot (a migrated database, for new directories that do not start from
 * the starter snapshot) and the starter snapshot for the default configuration once per installation (run by
 * `npm ci`, the root `prepare` script, after the word-vector table): the first `npm start`
 * on a new data directory then unpacks it instead of creating the database and ingesting
 * the starter notes. Nothing to do when it is there; a failure is reported and left to the
 * first start, which loads the notes itself.
 */
import { loadConfig } from '@cairn/core';
import { createEmbedder } from '@cairn/embed';
import { buildEmptySnapshot, buildStarterSnapshot } from '../src/starter-snapshot.js';

const emptyStarted = performance.now();
try {
  const { path, built } = await buildEmptySnapshot();
  const seconds = ((performance.now() - emptyStarted) / 1000).toFixed(1);
  console.log(`empty snapshot: ${built ? `made (${seconds} s)` : 'ready'}, ${path.replace(/^.*node_modules/, 'node_modules')}`);
} catch (error) {
  console.warn(`empty snapshot: not made (${(error as Error).message}); a new database is created at its first start`);
}

const started = performance.now();
try {
  const embedder = await createEmbedder(loadConfig({}));
  const { path, built } = await buildStarterSnapshot(embedder);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`starter snapshot: ${built ? `made (${seconds} s)` : 'ready'}, ${path.replace(/^.*node_modules/, 'node_modules')}`);
} catch (error) {
  console.warn(`starter snapshot: not made (${(error as Error).message}); the first start loads the notes itself`);
}
