import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Command } from 'commander';
import { packageDirectory } from '@cairn/core';

const cliDirectory = packageDirectory('@cairn/cli');
const repositoryRoot = join(cliDirectory, '..', '..') + '/';

/** The benchmarks, in the order they write docs/benchmarks.md (the first rewrites it, the others add to it). */
export const benchFiles = ['foundation.bench.ts', 'embedded.bench.ts', 'ingest.bench.ts', 'generation.bench.ts', 'compare.bench.ts'].map(
  (file) => join(cliDirectory, 'bench', file),
);

function run(file: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { cwd: repositoryRoot, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

export const benchCommand = new Command('bench')
  .description(
    "Run the benchmarks (foundation, the embedded default's speed and memory, ingest, generation, and the comparison with LangChain and bare Postgres/Node) and write docs/benchmarks.md; needs Postgres and Redis",
  )
  .option('--quick', 'small sizes, to check the harness in a few minutes; prints the tables and leaves docs/benchmarks.md alone')
  .action(async (options: { quick?: boolean }) => {
    const args = options.quick ? ['--quick'] : [];
    for (const file of benchFiles) {
      process.stderr.write(`cairn bench: ${file.slice(repositoryRoot.length)}${options.quick ? ' --quick' : ''}\n`);
      const code = await run(file, args);
      if (code !== 0) throw new Error(`${file.slice(repositoryRoot.length)} exited with code ${code}`);
    }
  });
