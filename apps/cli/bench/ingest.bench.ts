/**
 * Issue 3's targets, measured and printed (not asserted):
 *   - first ingest of a 1,000-page fixture site, local embedder, no crawl delay: pages/s (target ≥ 50);
 *   - re-ingest of the unchanged site: time as a share of the first (target ≤ 10%) and embedding calls (target 0).
 * Appends its table to docs/benchmarks.md (run after foundation.bench.ts, as `npm run bench` does).
 */
import { appendFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { LocalHashEmbedder } from '@cairn/embed';
import { createCrawler, runCrawl } from '@cairn/ingest';
import { Store } from '@cairn/store';
import { createTestDatabase, startFixtureSite } from '@cairn/testing';

/** `--quick` (cairn bench --quick): 100 pages, and docs/benchmarks.md is left alone. */
const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const pages = quick ? 100 : 1000;

class CountingEmbedder extends LocalHashEmbedder {
  calls = 0;
  override async embedDocuments(texts: readonly string[]): Promise<number[][]> {
    this.calls += 1;
    return super.embedDocuments(texts);
  }
}

async function measure(runtime: 'postgres' | 'pglite'): Promise<string> {
  const site = await startFixtureSite({ syntheticPages: pages });
  const testDatabase = runtime === 'postgres' ? await createTestDatabase('cairn_bench') : undefined;
  const store = await Store.open({ databaseUrl: testDatabase?.url });
  const crawler = createCrawler({ allowance: ['127.0.0.1'], contact: 'https://cairn.invalid/bench', maxCrawlDelayMs: 0 });
  const embedder = new CountingEmbedder();
  try {
    const source = await store.sources.upsert({
      name: 'bench',
      kind: 'web',
      baseUrl: `${site.url}/bench/`,
      seeds: [`${site.url}/sitemap-bench.xml`],
      maxPages: pages + 10,
      crawlDelayMs: 0,
    });
    const crawl = async () => {
      const started = performance.now();
      const result = await runCrawl({ store, embedder, ...crawler }, { sources: [source] });
      return { seconds: (performance.now() - started) / 1000, result };
    };
    const first = await crawl();
    const callsAfterFirst = embedder.calls;
    const second = await crawl();
    const rate = first.result.counts.fetched / first.seconds;
    const share = second.seconds / first.seconds;
    const reEmbeds = embedder.calls - callsAfterFirst;
    return [
      `${runtime.padEnd(8)} first ingest: ${first.result.counts.fetched} pages, ${first.result.counts.chunksAdded} passages in ${first.seconds.toFixed(1)} s = ${rate.toFixed(1)} pages/s   target ≥ 50   ${rate >= 50 ? 'met' : 'MISSED'}`,
      `${runtime.padEnd(8)} re-ingest unchanged: ${second.seconds.toFixed(1)} s = ${(share * 100).toFixed(1)}% of the first, ${reEmbeds} embedding calls, ${second.result.counts.unchanged} unchanged   target ≤ 10% and 0   ${share <= 0.1 && reEmbeds === 0 ? 'met' : 'MISSED'}`,
    ].join('\n');
  } finally {
    await crawler.close();
    await store.close();
    await testDatabase?.drop();
    await site.close();
  }
}

const rows = [await measure('postgres'), await measure('pglite')];
const text = `Cairn ingest benchmark, ${new Date().toISOString()} (${pages}-page fixture site on loopback, local embedder, no crawl delay)\n\n${rows.join('\n')}`;
console.log(text);
if (!quick) await appendFile(fileURLToPath(new URL('../../../docs/benchmarks.md', import.meta.url)), `\n\`\`\`text\n${text}\n\`\`\`\n`);
