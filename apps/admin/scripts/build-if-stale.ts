/**
 * Builds the admin UI into dist/ unless dist/ was built from the very same inputs: run by
 * `npm ci` (the root `prepare` script), so the UI ships built, and before `npm start`
 * (`prestart`), where it costs a hash of the UI's sources (milliseconds) when nothing
 * changed. The inputs are the UI's own files (tests excluded: they do not reach the bundle)
 * and the lockfile (its dependencies); every build writes their SHA-256 to dist/.build-inputs
 * (a plugin in vite.config.ts), so `npm run build -w @cairn/admin` counts as current too.
 *
 * An install without the build tools (`npm ci --omit=dev`, as the Docker image's runtime
 * stage does) skips the build: that image copies a dist/ built in a stage of its own.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// Found by name, so that the compiled copy in dist/ (what `npm start` runs) finds it too.
const adminDir = dirname(createRequire(import.meta.url).resolve('@cairn/admin/package.json'));
const rootDir = join(adminDir, '..', '..');
const distDir = join(adminDir, 'dist');
/** Where a build records the hash of the inputs it was built from. */
export const stampFile = join(distDir, '.build-inputs');
const inputs = ['index.html', 'package.json', 'tsconfig.json', 'vite.config.ts', 'src', 'public'].map((path) => join(adminDir, path));
const isTest = (path: string) => /\.test\.tsx?$/.test(path);

function files(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true, encoding: 'utf8' })
    .map((entry) => join(path, entry))
    .filter((entry) => statSync(entry).isFile() && !isTest(entry));
}

/** The SHA-256 of every input file's path and content, in a stable order. */
export function inputsHash(): string {
  const hash = createHash('sha256');
  const all = [...inputs.flatMap(files), join(rootDir, 'package-lock.json')].filter(existsSync).sort();
  for (const file of all) hash.update(relative(rootDir, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

function main(): number {
  const hash = inputsHash();
  if (existsSync(join(distDir, 'index.html')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === hash) return 0;
  let viteBin: string;
  try {
    viteBin = join(createRequire(join(adminDir, 'package.json')).resolve('vite/package.json'), '..', 'bin', 'vite.js');
  } catch {
    console.log('admin UI: not built (Vite is not installed, as in `npm ci --omit=dev`); `npm ci` with dev dependencies builds it.');
    return 0;
  }
  const started = Date.now();
  console.log('admin UI: building apps/admin/dist (its sources changed, or it was never built)…');
  const build = spawnSync(process.execPath, [viteBin, 'build', '--logLevel', 'warn'], { cwd: adminDir, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error(`admin UI: the build failed (exit ${build.status ?? build.signal}); run \`npm run build -w @cairn/admin\` to see why.`);
    return 1;
  }
  if (!existsSync(stampFile)) writeFileSync(stampFile, `${hash}\n`);
  console.log(`admin UI: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main();
