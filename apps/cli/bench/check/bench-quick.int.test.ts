import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const compareBench = fileURLToPath(new URL('../compare.bench.ts', import.meta.url));
const docs = fileURLToPath(new URL('../../../../docs/benchmarks.md', import.meta.url));

/** Each section's rows (label stems), for each database where the issue asks for both. */
const both = (label: string) => [`${label} · postgres`, `${label} · pglite`];
const expectedRows = [
  ...['search latency', 'search response bytes'].flatMap((label) =>
    ['clustered-1536', 'local-512'].flatMap((kind) => both(`${label} · ${kind} · 400`)),
  ),
  ...['recall@10 ef_search 40', 'recall@10 ef_search 100', 'exact ÷ HNSW p50'].flatMap((label) =>
    ['clustered-1536', 'local-512'].flatMap((kind) => both(`${label} · ${kind} · 400`)),
  ),
  ...['clustered-1536', 'local-512'].flatMap((kind) => both(`filtered search, k rows returned · ${kind} · 400`)),
  ...['clustered-1536', 'local-512'].flatMap((kind) => both(`ingest chunks/s stored · ${kind} · 400`)),
  ...both('first ingest vs re-ingest unchanged · 100 pages'),
  'chunking · prose',
  'chunking · pathological: ',
  ...both('/healthz vs bare node:http'),
  ...both('/v1/search under load'),
  '/v1/search PGlite ÷ Postgres p50',
  ...both('peak RSS · API under /v1/search load'),
  'peak RSS · worker, 100-page ingest · postgres',
  'peak RSS · API running the ingest in process, 100-page ingest · pglite',
];

describe('the comparison benchmark, quick', () => {
  it('completes and prints every row, leaving docs/benchmarks.md alone', async () => {
    const before = await readFile(docs, 'utf8');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', compareBench, '--quick'], {
      cwd: repositoryRoot,
      timeout: 280_000,
      maxBuffer: 16 * 2 ** 20,
    });
    for (const row of expectedRows) expect(stdout, row).toContain(`| ${row}`);
    for (const section of ['1. Search', '2. Index quality', '3. Filtered search', '4. Ingest', '5. API', '6. Memory'])
      expect(stdout).toContain(`### ${section}`);
    // Every row says how it stands against its target.
    expect(stdout).not.toMatch(/\bNaN\b|undefined/);
    expect(await readFile(docs, 'utf8')).toBe(before);
    const written = /written to (\S+)/.exec(stdout)?.[1];
    expect(written).toBeDefined();
    expect(written).not.toBe(docs);
    await rm(written!, { force: true });
  }, 300_000);

  // The benches of the earlier issues: each must complete at quick sizes and print its
  // rows with a verdict (a rate limit added later once broke the generation bench unseen).
  it.each([
    [
      'foundation.bench.ts',
      ['npm start → first cited answer', '/v1/search on postgres', '/v1/search on pglite', 'retrieval on postgres', 'retrieval on pglite'],
    ],
    [
      'ingest.bench.ts',
      [
        'postgres first ingest: 100 pages',
        'postgres   dense list over the 600 passages',
        'postgres re-ingest unchanged',
        'pglite   first ingest: 100 pages',
        'pglite     dense list over the 600 passages',
        'pglite   re-ingest unchanged',
      ],
    ],
    ['generation.bench.ts', ['postgres (1000 chunks) request → citations event', "pglite   (1000 chunks) Cairn's time around the model"]],
  ])(
    '%s completes at quick sizes and prints every row',
    async (file, rows) => {
      const before = await readFile(docs, 'utf8');
      const bench = fileURLToPath(new URL(`../${file}`, import.meta.url));
      const { stdout } = await run(process.execPath, ['--import', 'tsx', bench, '--quick'], {
        cwd: repositoryRoot,
        timeout: 280_000,
        maxBuffer: 16 * 2 ** 20,
      });
      for (const row of rows)
        expect(stdout, row).toMatch(new RegExp(`^${row.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*\\b(met|MISSED)\\b`, 'm'));
      expect(stdout).not.toMatch(/\bNaN\b|undefined/);
      expect(await readFile(docs, 'utf8')).toBe(before);
    },
    300_000,
  );

  it('embedded.bench.ts completes at quick sizes and prints every row with its verdict', async () => {
    const before = await readFile(docs, 'utf8');
    const bench = fileURLToPath(new URL('../embedded.bench.ts', import.meta.url));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', bench, '--quick'], {
      cwd: repositoryRoot,
      timeout: 280_000,
      maxBuffer: 16 * 2 ** 20,
    });
    for (const row of [
      'search throughput, 8 clients · pglite, own thread ÷ postgres',
      'search p50, 8 clients · pglite, own thread ÷ postgres',
      'peak RSS at start · pglite',
      'RSS after 100 answers · pglite',
      'RSS growth over a second 100 answers · pglite',
      'peak RSS through an in-process ingest of 100 pages · pglite',
    ])
      expect(stdout, row).toMatch(new RegExp(`^\\| ${row.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\|.*\\| (met|MISSED) \\|$`, 'm'));
    expect(stdout).not.toMatch(/\bNaN\b|undefined|n\/a/);
    expect(await readFile(docs, 'utf8')).toBe(before);
  }, 300_000);
});
