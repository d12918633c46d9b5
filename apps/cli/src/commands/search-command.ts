import { Command, Option } from 'commander';
import { loadConfig, refuseInvalidText, validSearchQuery, type RetrievalMode } from '@cairn/core';
import { createRetriever, openRuntime } from '@cairn/runtime';
import { collect, emit, integerIn, table } from '../output.js';

export const searchCommand = new Command('search')
  .description('Search the passages and show their rank at each stage: dense, keyword, page, fused, reranked')
  .argument('<query>', 'what to search for, in quotes')
  .option('-k, --k <n>', 'results (1-50)', integerIn(1, 50), 10)
  .addOption(new Option('--mode <mode>', 'one list alone, or both fused').choices(['hybrid', 'dense', 'keyword']))
  .option('--source <name>', 'only this source (repeatable)', collect)
  .option('--author <name>', 'only this author (repeatable)', collect)
  .option('--json', 'print the results as JSON')
  .action(async (given: string, options: { k: number; mode?: RetrievalMode; source?: string[]; author?: string[]; json?: boolean }) => {
    // The API's limits and text policy, before anything is opened.
    refuseInvalidText({ query: given, source: options.source, author: options.author }, 'arguments');
    const query = validSearchQuery(given);
    const config = loadConfig();
    const runtime = await openRuntime(config, { search: true });
    try {
      const retriever = createRetriever(runtime, { log: (line) => process.stderr.write(`${line}\n`) });
      const mode = options.mode ?? retriever.mode;
      const { results, timings } = await retriever.retrieve(query, {
        k: options.k,
        mode,
        filters: { sources: options.source, authors: options.author },
      });
      const reranker = results.some((passage) => passage.ranks.reranked != null) ? retriever.reranker : null;
      emit(Boolean(options.json), { results, mode, reranker, timings }, () => {
        const rank = (value: number | null | undefined) => (value == null ? '-' : String(value));
        const rows = [['#', 'score', 'dense', 'keyword', 'page', 'fused', 'reranked', 'passage', 'url']];
        results.forEach((passage, index) => {
          rows.push([
            String(index + 1),
            passage.score.toFixed(4),
            rank(passage.ranks.vector),
            rank(passage.ranks.keyword),
            rank(passage.ranks.page),
            rank(passage.ranks.fused),
            rank(passage.ranks.reranked),
            passage.heading.slice(0, 70),
            passage.url,
          ]);
        });
        const legend =
          'Ranks at each stage: dense and keyword lists, the page by its passages, fusion, the reranker (-: not in that list, or the stage did not run).';
        const took = `${timings.totalMs} ms${reranker ? ` (reranked by ${reranker} in ${timings.rerankMs} ms)` : ''}`;
        return results.length === 0 ? 'No passages match.' : `${table(rows)}\n\n${legend}\n${took}`;
      });
    } finally {
      await runtime.close();
    }
  });
