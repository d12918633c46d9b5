/**
 * Builds the default embedder's word-vector table once per installation, into
 * node_modules/.cache/cairn/ (run by `npm ci`, the root `prepare` script), so that the first
 * `npm start` opens it (a third of a second) instead of building it (about 10 seconds on a
 * 2-core machine). Nothing to do when the copy is there already; a failure is reported and
 * left to the first start, which builds the table itself.
 */
import { WordVectorTable } from '../src/semantic/word-vector-table.js';

const started = performance.now();
try {
  const table = await WordVectorTable.open(undefined);
  console.log(`word vectors: ready (${table.size.toLocaleString('en')} words, ${((performance.now() - started) / 1000).toFixed(1)} s)`);
} catch (error) {
  console.warn(`word vectors: not prepared (${(error as Error).message}); the first start builds them`);
}
