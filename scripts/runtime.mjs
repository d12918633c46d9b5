/**
 * The compiled runtime: the API and the `cairn` command bundled by esbuild into dist/
 * (the workspace's TypeScript compiled in, its npm dependencies left as imports), so that
 * `npm start` and `cairn` run JavaScript instead of compiling TypeScript through tsx at
 * every start. `npm ci` builds it (the root `prepare` script), and so does `npm start`
 * (`prestart`) when a source changed since.
 *
 * The launchers (apps/api/bin/cairn-api.js, apps/cli/bin/cairn.js) run dist/ only while it
 * was built from the sources as they are now: a build records the SHA-256 of every file it
 * read (esbuild's metafile); when one differs, as after an edit, the launcher runs the
 * TypeScript sources through tsx instead, so nothing ever runs stale code.
 *
 * Plain JavaScript, so that a launcher needs no compiler to decide. Run directly:
 *   node scripts/runtime.mjs            build dist/ unless it is current
 *   node scripts/runtime.mjs --force    build it anyway
 *   node scripts/runtime.mjs --check    exit 0 if current, 1 if not
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const rootDir = fileURLToPath(new URL('..', import.meta.url));
export const distDir = join(rootDir, 'dist');
const stampFile = join(distDir, 'build-inputs.json');

/**
 * The bundles and their sources. Worker threads start from modules beside the code that
 * spawns them (workerScript in @cairn/core), so each worker module is an entry of its own,
 * under the name workerScript looks for.
 */
export const entryPoints = {
  api: 'apps/api/src/main.ts',
  cairn: 'apps/cli/src/main.ts',
  'extraction-worker': 'ingest/src/crawl/extraction-worker.ts',
  'pglite-worker': 'packages/store/src/pglite-worker.ts',
  'build-word-vector-table': 'packages/embed/src/semantic/build-word-vector-table.ts',
  // The admin UI's staleness check, run by `npm start` before the API: compiled, it costs
  // a tenth of what compiling it through tsx at every start does.
  'build-admin-if-stale': 'apps/admin/scripts/build-if-stale.ts',
};

function fileHash(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Whether dist/ holds a build of the sources as they are now (every input unchanged). */
export function isCurrent() {
  if (!existsSync(stampFile)) return false;
  try {
    const stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
    if (JSON.stringify(stamp.entryPoints) !== JSON.stringify(entryPoints)) return false;
    for (const [file, hash] of Object.entries(stamp.inputs)) {
      const path = join(rootDir, file);
      if (!existsSync(path) || fileHash(path) !== hash) return false;
    }
    return Object.keys(entryPoints).every((name) => existsSync(join(distDir, `${name}.js`)));
  } catch {
    return false;
  }
}

/**
 * Bundles every entry point into a fresh directory, then swaps it in for dist/, so that a
 * process starting meanwhile sees the old build or the new one, never half of one.
 * Returns null where esbuild is not installed (`npm ci --omit=dev`).
 */
export async function build() {
  let esbuild;
  try {
    esbuild = await import(pathToFileURL(createRequire(join(rootDir, 'package.json')).resolve('esbuild')).href);
  } catch {
    return null;
  }
  const started = Date.now();
  const staging = `${distDir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: rootDir,
    entryPoints: Object.fromEntries(Object.entries(entryPoints).map(([name, file]) => [name, join(rootDir, file)])),
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    // Chunks sit beside the entries: workerScript finds a worker's module beside its caller.
    chunkNames: 'chunk-[hash]',
    plugins: [
      {
        // The workspace's own packages are compiled in; every npm dependency stays an import,
        // resolved from node_modules at run time as before.
        name: 'external-dependencies',
        setup(builder) {
          builder.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('@cairn/') || args.path.startsWith('node:') ? undefined : { path: args.path, external: true },
          );
        },
      },
    ],
  });
  const inputs = {};
  for (const file of Object.keys(result.metafile.inputs).sort()) {
    const path = join(rootDir, file);
    if (existsSync(path)) inputs[relative(rootDir, path)] = fileHash(path);
  }
  writeFileSync(join(staging, 'build-inputs.json'), `${JSON.stringify({ entryPoints, inputs }, null, 1)}\n`);
  const previous = `${distDir}.${process.pid}.old`;
  if (existsSync(distDir)) renameSync(distDir, previous);
  renameSync(staging, distDir);
  rmSync(previous, { recursive: true, force: true });
  return { files: Object.keys(inputs).length, ms: Date.now() - started };
}

/**
 * Runs an entry point: its bundle in dist/ when current, else its TypeScript source
 * through tsx. `CAIRN_RUNTIME=source` always runs the source (for a debugger).
 */
export async function launch(name) {
  if (process.env.CAIRN_RUNTIME !== 'source' && isCurrent()) {
    process.setSourceMapsEnabled(true);
    await import(pathToFileURL(join(distDir, `${name}.js`)).href);
    return;
  }
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(rootDir, entryPoints[name])).href);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    console.log('Usage: node scripts/runtime.mjs [--force | --check]\nBuilds the compiled runtime (dist/) unless it is current.');
  } else if (args.includes('--check')) {
    process.exitCode = isCurrent() ? 0 : 1;
  } else if (!args.includes('--force') && isCurrent()) {
    // Nothing changed: nothing to say.
  } else {
    const built = await build();
    if (built) console.log(`runtime: built dist/ from ${built.files} files in ${(built.ms / 1000).toFixed(1)} s`);
    else console.log('runtime: not built (esbuild is not installed, as in `npm ci --omit=dev`); the sources run through tsx.');
  }
}
