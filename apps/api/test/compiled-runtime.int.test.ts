// The compiled runtime (scripts/runtime.mjs): a build of its own in a test directory inside
// the repository, checked for what it bundles and what it leaves in node_modules, for how it
// tells a current build from a stale one, and run as users run it: `cairn search` and the
// API over HTTP, from the bundle.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { listeningUrl } from '@cairn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface RuntimeBuild {
  rootDir: string;
  build(directory?: string): Promise<{ files: number; packagesFiles: number; kept: number } | null>;
  isCurrent(directory?: string): boolean;
}

interface Stamp {
  keptInNodeModules: string[];
  bundledFromNodeModules: number;
  inputs: Record<string, { hash: string; size: number; mtimeMs: number }>;
}

const rootDir = fileURLToPath(new URL('../../../', import.meta.url));
const runtime = (await import(pathToFileURL(join(rootDir, 'scripts', 'runtime.mjs')).href)) as RuntimeBuild;
// Inside the repository (.cairn is ignored by git), so that the packages left in node_modules resolve from it.
const directory = join(rootDir, '.cairn', `test-runtime-${process.pid}`);
const stampPath = join(directory, 'build-inputs.json');
const environment = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };

let stamp: Stamp;
let dataDir: string;

beforeAll(async () => {
  const built = await runtime.build(directory);
  expect(built, 'esbuild is a devDependency: the build must run here').not.toBeNull();
  stamp = JSON.parse(await readFile(stampPath, 'utf8')) as Stamp;
  dataDir = await mkdtemp(join(tmpdir(), 'cairn-compiled-runtime-'));
}, 120_000);

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the compiled runtime', () => {
  it('bundles the npm packages that need no files of their own and leaves the others in node_modules', async () => {
    // PGlite reads its WebAssembly and data files beside its module; pino starts transports from its files.
    expect(stamp.keptInNodeModules).toEqual(expect.arrayContaining(['@electric-sql/pglite', 'pino']));
    expect(stamp.keptInNodeModules).not.toContain('fastify');
    expect(stamp.keptInNodeModules).not.toContain('zod');
    expect(stamp.bundledFromNodeModules).toBeGreaterThan(500);
    // What came from node_modules is stamped by each bundled package's manifest, not file by
    // file; the build's own settings are stamped too.
    const stampedFiles = Object.keys(stamp.inputs);
    expect(stampedFiles).toContain('node_modules/fastify/package.json');
    expect(stampedFiles.filter((file) => file.includes('node_modules/')).every((file) => file.endsWith('/package.json'))).toBe(true);
    expect(stampedFiles).toEqual(expect.arrayContaining(['scripts/runtime.mjs', 'packages/core/package.json', 'tsconfig.base.json']));
    const outputs = (await readdir(directory)).filter((file) => file.endsWith('.js'));
    const texts = await Promise.all(outputs.map((file) => readFile(join(directory, file), 'utf8')));
    // esbuild heads each module it bundles with its path.
    expect(texts.some((text) => text.includes('// node_modules/fastify/fastify.js'))).toBe(true);
    expect(texts.some((text) => text.includes('// node_modules/@electric-sql/pglite/'))).toBe(false);
    // A worker thread's entry is whole on its own (an isolate shares no module with its
    // starter): no shared chunk, so none of the API's code (the configuration's zod schemas).
    for (const worker of ['pglite-worker.js', 'extraction-worker.js', 'build-word-vector-table.js']) {
      const text = texts[outputs.indexOf(worker)]!;
      expect(text, worker).not.toMatch(/from\s*["']\.\/chunk-|import\s*["']\.\/chunk-/);
      expect(text, worker).not.toContain('// node_modules/zod/');
    }
    for (const [index, text] of texts.entries()) {
      expect(text, outputs[index]).not.toMatch(/from\s*["']fastify["']|require\(["']fastify["']\)/);
    }
  });

  it('is current as built, still current when an input is only touched, and stale when one changed', async () => {
    expect(runtime.isCurrent(directory)).toBe(true);
    const [file, recorded] = Object.entries(stamp.inputs).find(([name]) => name.endsWith('.ts'))!;
    try {
      // Another modification time, the same bytes (a checkout that rewrote the file): current.
      await writeFile(stampPath, JSON.stringify({ ...stamp, inputs: { ...stamp.inputs, [file]: { ...recorded, mtimeMs: 1 } } }));
      expect(runtime.isCurrent(directory)).toBe(true);
      // Other bytes of the same size: stale.
      const otherHash = recorded.hash.replace(/^./, (digit) => (digit === '0' ? '1' : '0'));
      await writeFile(
        stampPath,
        JSON.stringify({ ...stamp, inputs: { ...stamp.inputs, [file]: { ...recorded, mtimeMs: 1, hash: otherHash } } }),
      );
      expect(runtime.isCurrent(directory)).toBe(false);
      // Another size: stale without reading the file.
      await writeFile(
        stampPath,
        JSON.stringify({ ...stamp, inputs: { ...stamp.inputs, [file]: { ...recorded, size: recorded.size + 1 } } }),
      );
      expect(runtime.isCurrent(directory)).toBe(false);
    } finally {
      await writeFile(stampPath, JSON.stringify(stamp));
    }
    expect(runtime.isCurrent(directory)).toBe(true);
  });

  it('runs `cairn search` from the bundle, PGlite in its thread', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(directory, 'cairn.js'), 'search', 'how do I give feedback that lands?'],
      {
        env: { ...environment, CAIRN_DATA_DIR: dataDir },
        timeout: 90_000,
      },
    );
    expect(stdout).toMatch(/https:\/\/(lethain\.com|larahogan\.me|jackdanger\.com|staffeng\.com)\//);
  }, 120_000);

  it('serves the API from the bundle: a cited answer, the OpenAPI document and the docs page', async () => {
    const child = spawn(process.execPath, [join(directory, 'api.js')], {
      env: { ...environment, CAIRN_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      const url = await listeningUrl(child).url;
      const ask = await fetch(`${url}/v1/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question: 'How do I give feedback that lands?' }),
      });
      expect(ask.status).toBe(200);
      const answer = (await ask.json()) as { citations: { url: string }[] };
      expect(answer.citations.length).toBeGreaterThan(0);
      const openapi = (await (await fetch(`${url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(openapi.paths)).toContain('/v1/ask');
      const docs = await fetch(`${url}/docs/`);
      expect(docs.status).toBe(200);
      expect(await docs.text()).toMatch(/swagger/i);
      const invalid = await fetch(`${url}/v1/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"question": 42}',
      });
      expect(invalid.status).toBe(400);
      expect(((await invalid.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }, 120_000);

  it('keeps the previous build\u2019s own chunks beside a new build, one build back, for a process started from it', async () => {
    // As if the build before had made chunk-PREVIOUS.js (a chunk a running API loads only when first used).
    await writeFile(join(directory, 'chunk-PREVIOUS.js'), 'export const previous = true;\n');
    await writeFile(join(directory, 'chunk-STRAY.js'), 'export const stray = true;\n');
    await writeFile(
      stampPath,
      JSON.stringify({ ...stamp, outputs: [...(stamp as Stamp & { outputs: string[] }).outputs, 'chunk-PREVIOUS.js'] }),
    );
    await runtime.build(directory);
    expect(await readdir(directory)).toContain('chunk-PREVIOUS.js');
    expect(await readdir(directory)).not.toContain('chunk-STRAY.js');
    const rebuilt = JSON.parse(await readFile(stampPath, 'utf8')) as { outputs: string[] };
    expect(rebuilt.outputs).not.toContain('chunk-PREVIOUS.js');
    expect(runtime.isCurrent(directory)).toBe(true);
    // Two builds back: gone.
    await runtime.build(directory);
    expect(await readdir(directory)).not.toContain('chunk-PREVIOUS.js');
  }, 120_000);
});
