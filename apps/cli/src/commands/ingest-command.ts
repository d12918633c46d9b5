import { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { loadConfig } from '@cairn/core';
import { openRuntime } from '@cairn/api';
import { ingestDirectory } from '@cairn/ingest';
import { emit, table } from '../output.js';

export const ingestCommand = new Command('ingest')
  .description('Ingest sources into the index')
  .requiredOption('--dir <path>', 'a directory of markdown (.md, with optional front matter) or HTML notes')
  .option('--name <name>', 'the source name to file them under (default: the directory name)')
  .option('--json', 'print the run summary as JSON')
  .addHelpText('after', '\nRe-running is cheap: unchanged files are skipped, and files removed from the directory leave the index.')
  .action(async (options: { dir: string; name?: string; json?: boolean }) => {
    const config = loadConfig();
    const runtime = await openRuntime(config);
    const showBar = !options.json && process.stderr.isTTY;
    const bar = new SingleBar({ format: 'ingesting {bar} {value}/{total} files | {file}', stream: process.stderr, hideCursor: true });
    try {
      let started = false;
      const result = await ingestDirectory(runtime.store, runtime.embedder, {
        directory: options.dir,
        sourceName: options.name,
        trigger: 'cli',
        onProgress: (progress) => {
          if (!showBar) return;
          if (!started) {
            bar.start(progress.total, 0, { file: '' });
            started = true;
          }
          bar.update(progress.done, { file: progress.file });
        },
      });
      if (started) bar.stop();
      emit(Boolean(options.json), result, () => {
        const { counts } = result;
        const summary = table([
          ['files', 'new or changed', 'unchanged', 'failed', 'passages added', 'passages removed'],
          [String(counts.discovered), String(counts.fetched - counts.unchanged - counts.failed), String(counts.unchanged), String(counts.failed), String(counts.chunksAdded), String(counts.chunksRemoved)],
        ]);
        const failures = result.failures.map((failure) => `  failed: ${failure.error}`).join('\n');
        return `${summary}${failures ? `\n${failures}` : ''}\n\nrun ${result.runId}`;
      });
      if (result.counts.failed > 0) process.exitCode = 1;
    } finally {
      bar.stop();
      await runtime.close();
    }
  });
