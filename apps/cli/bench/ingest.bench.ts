/**
 * Issue 3's targets, measured and printed (not asserted):
 *   - first ingest of a 1,000-page fixture site, the configured (default) embedder, no crawl delay:
 *     pages/s (target ≥ 50), and how much of it came after the pages were stored (the HNSW build);
 *   - re-ingest of the unchanged site: time as a share of the first (target ≤ 10%) and embedding calls (target 0);
 *   - over the first ingest's corpus, what the dense list keeps of the exact one (dense-recall.ts).
 * Writes its section of docs/benchmarks.md. The crawl itself is compare/measure-ingest.ts's
 * fixtureIngest, which the side-by-side comparison also reports.
 */
import { loadavg } from 'node:os';
import { fixtureIngest } from './compare/measure-ingest.js';
import { benchmarksPath, machine, writeSection } from './docs-section.js';
import { loadBenchSettings } from '@cairn/core';

/** `--quick` (cairn bench --quick): 100 pages, and docs/benchmarks.md is left alone. */
const quick = loadBenchSettings().quick;
const pages = quick ? 100 : 1000;

const rows: string[] = [];
const models: string[] = [];
for (const runtime of ['postgres', 'pglite'] as const) {
  const result = await fixtureIngest(runtime, pages, { denseRecall: true });
  if (!models.includes(result.model)) models.push(result.model);
  const rate = result.pages / result.firstSeconds;
  const share = result.secondSeconds / result.firstSeconds;
  rows.push(
    `${runtime.padEnd(8)} first ingest: ${result.pages} pages, ${result.passages} passages in ${result.firstSeconds.toFixed(1)} s = ${rate.toFixed(1)} pages/s   target ≥ 50   ${rate >= 50 ? 'met' : 'MISSED'}`,
    `${runtime.padEnd(8)}   of which pages stored and searchable in ${(result.firstSeconds - result.firstIndexSeconds).toFixed(1)} s = ${(result.pages / (result.firstSeconds - result.firstIndexSeconds)).toFixed(1)} pages/s, then the HNSW build and statistics ${result.firstIndexSeconds.toFixed(1)} s`,
    ...(result.denseRecall
      ? [
          `${runtime.padEnd(8)}   dense list over the ${result.passages} passages, ${result.denseRecall.questions} gold-set questions: keeps ${result.denseRecall.top10.toFixed(3)} of the exact top 10 (worst ${result.denseRecall.top10Worst.toFixed(2)}), ${result.denseRecall.top50.toFixed(3)} of the top 50 (worst ${result.denseRecall.top50Worst.toFixed(2)}); statement p50 ${result.denseRecall.shippedMs.toFixed(1)} ms, exact scan ${result.denseRecall.exactMs.toFixed(1)} ms   target top 10 ≥ 0.95 (Cairn's own)   ${result.denseRecall.top10 >= 0.95 ? 'met' : 'MISSED'}`,
        ]
      : []),
    `${runtime.padEnd(8)} re-ingest unchanged: ${result.secondSeconds.toFixed(1)} s = ${(share * 100).toFixed(1)}% of the first, ${result.reEmbeddingCalls} embedding calls, ${result.unchanged} unchanged   target ≤ 10% and 0   ${share <= 0.1 && result.reEmbeddingCalls === 0 ? 'met' : 'MISSED'}`,
  );
}
const text = `Cairn ingest benchmark, ${new Date().toISOString()} (${pages}-page fixture site on loopback, the default embedder ${models.join(', ')}, no crawl delay)\nmachine: ${machine()}, load average ${loadavg()
  .map((load) => load.toFixed(2))
  .join(' ')} at the end\n\n${rows.join('\n')}`;
console.log(text);
if (!quick) await writeSection(benchmarksPath, 'ingest.bench.ts', `\`\`\`text\n${text}\n\`\`\``);
