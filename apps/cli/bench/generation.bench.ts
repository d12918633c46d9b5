/**
 * Issue 4's targets, measured and printed (not asserted):
 *   - request to the `citations` event of a streamed POST /v1/ask at 10,000 chunks, local embedder: p50 (target < 50 ms);
 *   - Cairn's own time around the model call (the whole request less the model's time): p50 (target < 30 ms).
 * The model is the OpenAI-compatible test server on loopback (it answers at once), reached
 * through the real client (LangChain's ChatOpenAI); its time is what the service measures
 * around the stream (`timings.modelMs`). Writes its section of docs/benchmarks.md.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBenchSettings } from '@cairn/core';
import { LocalHashEmbedder } from '@cairn/embed';
import { loadGoldSet } from '@cairn/starter-corpus';
import { Store } from '@cairn/store';
import { createTestDatabase, startFakeOpenAIServer } from '@cairn/testing';
import { startBenchApi } from './compare/processes.js';
import { benchmarksPath, machine, writeSection } from './docs-section.js';
import { loadSyntheticCorpus, syntheticCorpus, unlimitedRateLimits } from './synthetic-corpus.js';

/** `--quick` (cairn bench --quick): 1,000 chunks, and docs/benchmarks.md is left alone. */
const quick = loadBenchSettings().quick;
const rounds = 200;
const warmUp = 20;

const percentile = (values: number[], share: number) => [...values].sort((a, b) => a - b)[Math.floor(values.length * share)]!;

async function measure(runtime: 'postgres' | 'pglite', documents: string[][]): Promise<string> {
  const testDatabase = runtime === 'postgres' ? await createTestDatabase('cairn_bench') : undefined;
  const dataDir = testDatabase ? undefined : await mkdtemp(join(tmpdir(), 'cairn-bench-generation-'));
  const server = await startFakeOpenAIServer();
  const embedder = new LocalHashEmbedder();
  let api: Awaited<ReturnType<typeof startBenchApi>> | undefined;
  try {
    const store = await Store.open({ databaseUrl: testDatabase?.url, dataDir });
    let chunks: number;
    try {
      await loadSyntheticCorpus(store, embedder, documents);
      ({ chunks } = await store.documents.countActive());
    } finally {
      // The API opens the same database in its own process: PGlite's files have one owner at a time.
      await store.close();
    }
    api = await startBenchApi({
      ...(testDatabase ? { DATABASE_URL: testDatabase.url } : { CAIRN_DATA_DIR: dataDir! }),
      ...unlimitedRateLimits,
      CAIRN_STARTER_CORPUS: 'off',
      OPENAI_API_KEY: 'sk-bench',
      OPENAI_BASE_URL: server.url,
      EMBEDDING_MODEL: 'local-hash-v1',
    });
    const address = api.url;
    const questions = loadGoldSet().map((question) => question.question);
    const toCitations: number[] = [];
    const overhead: number[] = [];
    const model: number[] = [];
    for (let round = 0; round < rounds + warmUp; round += 1) {
      const started = performance.now();
      const response = await fetch(`${address}/v1/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ question: questions[round % questions.length] }),
      });
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      let citationsAt: number | undefined;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        if (citationsAt === undefined && text.includes('event: citations')) citationsAt = performance.now() - started;
      }
      const total = performance.now() - started;
      const doneEvent = /event: done\ndata: (.*)\n/.exec(text);
      if (!doneEvent || citationsAt === undefined) throw new Error(`no citations or done event in: ${text.slice(0, 300)}`);
      const modelMs = (JSON.parse(doneEvent[1]!) as { timings: { modelMs: number } }).timings.modelMs;
      if (round < warmUp) continue;
      toCitations.push(citationsAt);
      model.push(modelMs);
      overhead.push(total - modelMs);
    }
    const p50Citations = percentile(toCitations, 0.5);
    const p50Overhead = percentile(overhead, 0.5);
    return [
      `${runtime.padEnd(8)} (${chunks} chunks) request → citations event  p50 ${p50Citations.toFixed(1)} ms, p95 ${percentile(toCitations, 0.95).toFixed(1)} ms   target p50 < 50 ms   ${p50Citations < 50 ? 'met' : 'MISSED'}`,
      `${runtime.padEnd(8)} (${chunks} chunks) Cairn's time around the model  p50 ${p50Overhead.toFixed(1)} ms, p95 ${percentile(overhead, 0.95).toFixed(1)} ms (model p50 ${percentile(model, 0.5).toFixed(1)} ms)   target p50 < 30 ms   ${p50Overhead < 30 ? 'met' : 'MISSED'}`,
    ].join('\n');
  } finally {
    await api?.stop();
    await server.close();
    await testDatabase?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}

const documents = (await syntheticCorpus()).slice(0, quick ? 50 : undefined);
const rows = [await measure('postgres', documents), await measure('pglite', documents)];
const text = `Cairn generation benchmark, ${new Date().toISOString()} (streamed POST /v1/ask, ${rounds} gold-set questions after ${warmUp} to warm up, local embedder, model on loopback)\n\n${rows.join('\n')}`;
console.log(text);
if (!quick) await writeSection(benchmarksPath, 'generation.bench.ts', `\`\`\`text\n${text}\nmachine: ${machine()}\n\`\`\``);
