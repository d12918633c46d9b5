import { Command, Option } from 'commander';
import { loadConfig, type RetrievalMode } from '@cairn/core';
import { openRuntime } from '@cairn/runtime';
import { Retriever } from '@cairn/retrieve';
import { collect, emit, table } from '../output.js';

export const searchCommand = new Command('search')
  .description('Search the passages and show their dense, keyword and fused ranks')
  .argument('<query>', 'what to search for, in quotes')
  .option('-k, --k <n>', 'results (1-50)', '10')
  .addOption(new Option('--mode <mode>', 'one list alone, or both fused').choices(['hybrid', 'dense', 'keyword']))
  .option('--source <name>', 'only this source (repeatable)', collect)
  .option('--author <name>', 'only this author (repeatable)', collect)
  .option('--json', 'print the results as JSON')
  .action(async (query: string, options: { k: string; mode?: RetrievalMode; source?: string[]; author?: string[]; json?: boolean }) => {
    const config = loadConfig();
    const runtime = await openRuntime(config);
    try {
      const retriever = new Retriever(runtime.store, runtime.searchEmbedder, config.retrievalMode);
      const result = await retriever.retrieve(query, {
        k: Number(options.k),
        mode: options.mode,
        filters: { sources: options.source, authors: options.author },
      });
      emit(Boolean(options.json), result, () => {
        const rank = (value: number | null) => (value === null ? '-' : String(value));
        const rows = [['#', 'score', 'dense', 'keyword', 'passage', 'url']];
        result.results.forEach((passage, index) => {
          rows.push([
            String(index + 1),
            passage.score.toFixed(4),
            rank(passage.ranks.vector),
            rank(passage.ranks.keyword),
            passage.heading.slice(0, 70),
            passage.url,
          ]);
        });
        return result.results.length === 0 ? 'No passages match.' : `${table(rows)}\n\n${result.timings.totalMs} ms`;
      });
    } finally {
      await runtime.close();
    }
  });
