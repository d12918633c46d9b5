/**
 * The compiled runtime: the API and the `cairn` command bundled by esbuild into dist/ (the
 * workspace's TypeScript and the npm packages it imports, in a few files), so that
 * `npm start` and `cairn` neither compile TypeScript through tsx nor resolve, read and
 * compile about 1,900 files of node_modules one by one at every start. `npm ci` builds it
 * (the root `prepare` script), and so does `npm start` (`prestart`) when a source changed
 * since.
 *
 * An npm package is bundled unless it needs its own files at run time (it names
 * `__dirname`, `__filename`, `import.meta` or `require.resolve`, loads a native addon or
 * requires a module whose name is computed): those stay imports, resolved from node_modules
 * as before. The first pass of the build finds them (packagesToKeep).
 *
 * The launchers (apps/api/bin/cairn-api.js, apps/cli/bin/cairn.js) run dist/ only while it
 * was built from the sources as they are now: a build records the SHA-256, size and
 * modification time of every workspace file it read (esbuild's metafile), of the manifest
 * (package.json) of every npm package it bundled, and of the files that decide the build
 * itself (this script, the workspace's manifests and TypeScript settings). When one differs,
 * as after an edit or an `npm ci` that installed other versions, the launcher runs the
 * TypeScript sources through tsx instead, so nothing ever runs stale code.
 *
 * Plain JavaScript, so that a launcher needs no compiler to decide. Run directly:
 *   node scripts/runtime.mjs            build dist/ unless it is current
 *   node scripts/runtime.mjs --force    build it anyway
 *   node scripts/runtime.mjs --check    exit 0 if current, 1 if not
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const rootDir = fileURLToPath(new URL('..', import.meta.url));
export const distDir = join(rootDir, 'dist');
/** What a build records of its inputs, in its directory. */
const stampName = 'build-inputs.json';

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

/**
 * The entries that start worker threads: each is bundled whole, on its own, not split into
 * chunks shared with the API's. A worker's isolate shares no module with the thread that
 * starts it, so shared chunks only made it load and run code it never uses (the
 * configuration's zod schemas, 0.7 MB, before PGlite could start).
 */
const threadEntries = new Set(['pglite-worker', 'extraction-worker', 'build-word-vector-table']);

function fileHash(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/**
 * Files that decide a build besides the sources it reads: this script, the workspace's
 * manifests (`exports`, `sideEffects`) and TypeScript settings.
 */
function buildSettingsFiles() {
  const files = ['scripts/runtime.mjs', 'package.json', 'tsconfig.base.json'];
  for (const parent of ['packages', 'apps']) {
    for (const name of readdirSync(join(rootDir, parent))) files.push(`${parent}/${name}/package.json`, `${parent}/${name}/tsconfig.json`);
  }
  files.push('ingest/package.json', 'ingest/tsconfig.json');
  return files.filter((file) => existsSync(join(rootDir, file)));
}

/**
 * Whether an input is as the build read it: the same size and modification time (a stat,
 * not a read: the launchers ask at every start), else the same SHA-256 (a checkout that
 * rewrote the file unchanged).
 */
function unchanged(file, recorded) {
  const path = join(rootDir, file);
  if (!existsSync(path)) return false;
  const { size, mtimeMs } = statSync(path);
  if (size === recorded.size && mtimeMs === recorded.mtimeMs) return true;
  return size === recorded.size && fileHash(path) === recorded.hash;
}

/**
 * Whether dist/ (or `directory`, a build made elsewhere by a test) holds a build of the
 * sources as they are now (every input unchanged).
 */
export function isCurrent(directory = distDir) {
  const stampFile = join(directory, stampName);
  if (!existsSync(stampFile)) return false;
  try {
    const stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
    if (JSON.stringify(stamp.entryPoints) !== JSON.stringify(entryPoints)) return false;
    for (const [file, recorded] of Object.entries(stamp.inputs)) if (!unchanged(file, recorded)) return false;
    return Object.keys(entryPoints).every((name) => existsSync(join(directory, `${name}.js`)));
  } catch {
    return false;
  }
}

/**
 * The manifest of the installed package a file in node_modules belongs to (the innermost
 * node_modules, so a nested copy is its own package): what stamps that package in a build.
 */
function packageManifestOf(path) {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(path);
  return match ? `${match[1]}/package.json` : undefined;
}

/** The npm package a path inside node_modules belongs to ("fastify", "@fastify/static"). */
function packageOf(path) {
  return /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(path)?.[1];
}

/** The package a bare import names ("pino/file" → "pino", "@fastify/static/lib" → "@fastify/static"). */
function packageName(specifier) {
  return specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
}

/** What in a package's source means it needs its own files, or node_modules, at run time. */
const needsItsFiles = /\b__dirname\b|\b__filename\b|\bimport\.meta\b|\brequire\.resolve\b/;

/**
 * The first pass: everything bundled, nothing written. Returns the npm packages that must
 * stay imports: those whose bundled files name their own location (needsItsFiles), load a
 * file esbuild cannot bundle (a native addon), or require a computed name (esbuild's
 * warning); a package nested under another's node_modules counts under its own name.
 */
async function packagesToKeep(esbuild, options) {
  const keep = new Set(['pg-native']);
  let result;
  for (;;) {
    try {
      result = await esbuild.build({
        ...options,
        write: false,
        logLevel: 'silent',
        // esbuild only reports these at debug level: a require() or import() of a computed name.
        logOverride: { 'unsupported-require-call': 'warning', 'unsupported-dynamic-import': 'warning' },
        plugins: [externals(keep)],
      });
      break;
    } catch (error) {
      // A file esbuild cannot load (a `.node` addon) or a module it cannot find: that package stays an import.
      const packages = (error.errors ?? [])
        .map((message) => {
          const missing = /Could not resolve "([^"]+)"/.exec(message.text)?.[1];
          return missing && !missing.startsWith('.') ? packageName(missing) : packageOf(message.location?.file ?? '');
        })
        .filter(Boolean);
      if (packages.length === 0 || packages.every((name) => keep.has(name))) throw error;
      for (const name of packages) keep.add(name);
    }
  }
  for (const warning of result.warnings) {
    const name = packageOf(warning.location?.file ?? '');
    if (name && (warning.id === 'unsupported-require-call' || warning.id === 'unsupported-dynamic-import' || /require/.test(warning.text)))
      keep.add(name);
  }
  for (const file of Object.keys(result.metafile.inputs)) {
    const name = packageOf(file);
    if (name && !keep.has(name) && needsItsFiles.test(readFileSync(join(rootDir, file), 'utf8'))) keep.add(name);
  }
  return keep;
}

/**
 * The plugin that leaves `keep`, and every import of a package's file under its own name
 * ("pino/file"), to node_modules; the workspace's packages and Node's modules resolve as
 * esbuild resolves them.
 */
function externals(keep) {
  return {
    name: 'external-dependencies',
    setup(builder) {
      builder.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith('@cairn/') || args.path.startsWith('node:')) return undefined;
        return keep.has(packageName(args.path)) ? { path: args.path, external: true } : undefined;
      });
    },
  };
}

/**
 * Bundles every entry point into a fresh directory, then swaps it in for dist/ (or
 * `directory`: a test's build, which must sit inside the repository so that the packages
 * left in node_modules resolve from it), so that a process starting meanwhile sees the old
 * build or the new one, never half of one. Returns null where esbuild is not installed
 * (`npm ci --omit=dev`).
 */
export async function build(directory = distDir) {
  let esbuild;
  try {
    esbuild = await import(pathToFileURL(createRequire(join(rootDir, 'package.json')).resolve('esbuild')).href);
  } catch {
    return null;
  }
  const started = Date.now();
  const staging = `${directory}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  const options = {
    absWorkingDir: rootDir,
    entryPoints: Object.fromEntries(Object.entries(entryPoints).map(([name, file]) => [name, join(rootDir, file)])),
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Stack traces name the TypeScript (or package) file and line; the maps leave the sources
    // out, since the launchers read every map at start (17 MB with them, 4.8 MB without).
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
    // Chunks sit beside the entries: workerScript finds a worker's module beside its caller.
    chunkNames: 'chunk-[hash]',
    // The CommonJS packages bundled into these ES modules call `require` for Node's modules
    // and for the packages left in node_modules: each file gets its own.
    banner: {
      js: "import { createRequire as __cairnCreateRequire } from 'node:module'; const require = __cairnCreateRequire(import.meta.url);",
    },
  };
  const keep = await packagesToKeep(esbuild, options);
  const entries = Object.entries(options.entryPoints);
  const shared = await esbuild.build({
    ...options,
    entryPoints: Object.fromEntries(entries.filter(([name]) => !threadEntries.has(name))),
    logLevel: 'error',
    plugins: [externals(keep)],
  });
  const threads = await esbuild.build({
    ...options,
    entryPoints: Object.fromEntries(entries.filter(([name]) => threadEntries.has(name))),
    splitting: false,
    logLevel: 'error',
    plugins: [externals(keep)],
  });
  const result = { metafile: { inputs: { ...shared.metafile.inputs, ...threads.metafile.inputs } } };
  // Each workspace file as read, each bundled package by its manifest, and the build's settings.
  // A file written after the build began may not be what esbuild read: it is stamped as
  // changed, so the next launch runs the sources and the next build takes it in.
  const inputs = {};
  let fromNodeModules = 0;
  const stamped = new Set(buildSettingsFiles());
  for (const file of Object.keys(result.metafile.inputs)) {
    if (!packageOf(file)) {
      stamped.add(file);
      continue;
    }
    fromNodeModules += 1;
    const manifest = packageManifestOf(file);
    if (manifest) stamped.add(manifest);
  }
  for (const file of [...stamped].sort()) {
    const path = join(rootDir, file);
    if (!existsSync(path)) continue;
    const { size, mtimeMs } = statSync(path);
    const written = mtimeMs >= started;
    inputs[relative(rootDir, path)] = written
      ? { hash: 'written during the build', size, mtimeMs: -1 }
      : { hash: fileHash(path), size, mtimeMs };
  }
  // A process started from the build before (an API still running) loads some chunks only
  // when first used (the chat model's, the MCP server's): the previous build's own chunks stay
  // beside the new ones (their names are content hashes, so none is overwritten), one build
  // back. An entry (a worker's) is replaced.
  const outputs = readdirSync(staging).sort();
  const previousStamp = join(directory, stampName);
  if (existsSync(previousStamp)) {
    try {
      const previousOutputs = JSON.parse(readFileSync(previousStamp, 'utf8')).outputs ?? [];
      for (const file of previousOutputs) {
        if (file.startsWith('chunk-') && !existsSync(join(staging, file)) && existsSync(join(directory, file)))
          copyFileSync(join(directory, file), join(staging, file));
      }
    } catch {
      // A stamp that cannot be read keeps nothing back: only a running process's later loads depend on it.
    }
  }
  writeFileSync(
    join(staging, stampName),
    `${JSON.stringify({ entryPoints, keptInNodeModules: [...keep].sort(), bundledFromNodeModules: fromNodeModules, outputs, inputs }, null, 1)}\n`,
  );
  const previous = `${directory}.${process.pid}.old`;
  if (existsSync(directory)) renameSync(directory, previous);
  renameSync(staging, directory);
  rmSync(previous, { recursive: true, force: true });
  return {
    files: Object.keys(inputs).filter((file) => !packageOf(file)).length,
    packagesFiles: fromNodeModules,
    kept: keep.size,
    ms: Date.now() - started,
  };
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
    if (built)
      console.log(
        `runtime: built dist/ from ${built.files} workspace files and ${built.packagesFiles} of node_modules (${built.kept} packages left there) in ${(built.ms / 1000).toFixed(1)} s`,
      );
    else console.log('runtime: not built (esbuild is not installed, as in `npm ci --omit=dev`); the sources run through tsx.');
  }
}
