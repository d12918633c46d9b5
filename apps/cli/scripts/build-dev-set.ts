/**
 * Builds a development set from a local copy of a public site's markdown source: each
 * page becomes a markdown note with the front matter `cairn ingest --dir` reads (title,
 * author, url, published), and the set's committed questions
 * (packages/starter-corpus/dev-sets/NAME/questions.json) are copied beside them. The pages
 * are third-party text, so the set is written outside the repository's tracked files
 * (`.cairn/` is git-ignored).
 *
 *   node --import tsx apps/cli/scripts/build-dev-set.ts <copy of staff-eng> [--out .cairn/dev-sets/staffeng]
 *   node --import tsx apps/cli/scripts/build-dev-set.ts <copy of gatsby-blog> --set seangoedecke
 *
 * `--set` names the set (staffeng unless given); the sets listed in `knownSets` bring the
 * directory of pages, base URL and author of their site, which `--content`, `--base-url`
 * and `--author` override. A page's id is its URL path: the page's `url:` when its front
 * matter has one, else its path under the content directory without `.md` (and without a
 * trailing `/index` or `/_index`, as Hugo sections and Gatsby page bundles are served).
 *
 * The copy is a checkout or a bare git repository (read at HEAD).
 * Then: `npm run cairn -- eval --set NAME` (see docs/evaluation.md).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const committedSetsDirectory = join(repositoryRoot, 'packages/starter-corpus/dev-sets');
const frontMatterPattern = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;
const setNamePattern = /^[a-z0-9][a-z0-9._-]*$/;

/** Where a set's pages are in a copy of its site, and whose they are. */
export interface SiteSource {
  /** The directory of the copy that holds the markdown pages, e.g. content or content/blog. */
  content: string;
  baseUrl: string;
  /** The author of a page whose front matter names none. */
  author: string;
}

/** A Gatsby blog: one page bundle per post, content/blog/<slug>/index.md served at /<slug>/. */
const seangoedecke = {
  repository: 'github.com/sgoedecke/gatsby-blog',
  content: 'content/blog',
  baseUrl: 'https://www.seangoedecke.com',
  author: 'Sean Goedecke',
};

/** A Hugo site: guides by Will Larson, stories each told by its subject (front matter `name`). */
const staffeng = { repository: 'github.com/lethain/staff-eng', content: 'content', baseUrl: 'https://staffeng.com', author: 'Will Larson' };

/** The sets this script knows how to build, by name. */
export const knownSets: Record<string, SiteSource & { repository: string }> = {
  staffeng,
  seangoedecke,
  // The same pages with questions written after the tuning, each set by a writer who had not
  // seen the other questions (docs/evaluation.md, "A held-out check"): scored, never fitted on.
  'seangoedecke-heldout': seangoedecke,
  'staffeng-heldout': staffeng,
  // Written in session 22, after every change so far, and scored once: a clean check.
  'seangoedecke-heldout-2': seangoedecke,
  'staffeng-heldout-2': staffeng,
  // Written in session 23 before that session changed retrieval, and scored once, after the change.
  'seangoedecke-heldout-3': seangoedecke,
  'staffeng-heldout-3': staffeng,
  // Written in session 23 after the reranker change, before the domain thesaurus was tried.
  'seangoedecke-heldout-4': seangoedecke,
  'staffeng-heldout-4': staffeng,
  // Written in session 24, which changed no retrieval: the shipped search scored on fresh questions.
  'seangoedecke-heldout-5': seangoedecke,
  'staffeng-heldout-5': staffeng,
  'seangoedecke-heldout-6': seangoedecke,
  'staffeng-heldout-6': staffeng,
  // Written in session 25 before any retrieval change of that session, and committed before scoring.
  'seangoedecke-heldout-7': seangoedecke,
  'staffeng-heldout-7': staffeng,
  // Written at the end of session 25, after pair 7 was scored; not scored yet: the next retrieval change's judge.
  'seangoedecke-heldout-8': seangoedecke,
  'staffeng-heldout-8': staffeng,
  // Written at the start of session 32 by two blind writers, before any retrieval change of that session; not scored yet.
  'seangoedecke-heldout-9': seangoedecke,
  'staffeng-heldout-9': staffeng,
};

export interface SitePage {
  /** Path under the content directory, e.g. guides/staff-archetypes.md or how-to-ship/index.md. */
  path: string;
  text: string;
}

/** The markdown pages under a directory of a site's copy: a checkout, or a bare git repository read at HEAD. */
export function readSitePages(copy: string, contentDirectory = 'content'): SitePage[] {
  const directory = contentDirectory.replace(/^\/+|\/+$/g, '');
  if (existsSync(join(copy, directory))) {
    const content = join(copy, directory);
    return readdirSync(content, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
      .map((entry) => join(entry.parentPath, entry.name))
      .sort()
      .map((file) => ({ path: relative(content, file).split('\\').join('/'), text: readFileSync(file, 'utf8') }));
  }
  const git = (...args: string[]) => execFileSync('git', ['--git-dir', copy, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return git('ls-tree', '-r', '--name-only', 'HEAD', `${directory}/`)
    .split('\n')
    .filter((path) => path.endsWith('.md'))
    .sort()
    .map((path) => ({ path: path.slice(directory.length + 1), text: git('show', `HEAD:${path}`) }));
}

interface PageFrontMatter {
  title?: string;
  url?: string;
  date?: string | Date;
  name?: string;
}

export interface BuiltNote {
  /** Where the note is written under notes/: the page's own path. */
  file: string;
  /** The id the questions use. */
  urlPath: string;
  text: string;
}

/** A page as a note, or null for a page without a title or a body (a section stub, a file of links). */
export function toNote(page: SitePage, site: Pick<SiteSource, 'baseUrl' | 'author'>): BuiltNote | null {
  const match = frontMatterPattern.exec(page.text);
  const front = (match ? parseYaml(match[1]!) : {}) as PageFrontMatter;
  // Hugo shortcodes render to nothing a reader sees as prose.
  const body = (match ? page.text.slice(match[0].length) : page.text).replace(/\{\{[<%][\s\S]*?[>%]\}\}/g, '').trim();
  if (!body || !front.title) return null;
  const urlPath = (front.url ?? `/${page.path.replace(/(\/_?index)?\.md$/, '')}`).replace(/\/+$/, '') || '/';
  const published = front.date instanceof Date ? front.date.toISOString().slice(0, 10) : front.date;
  const note = {
    title: front.title,
    // A staffeng story is its subject's own account; every other page is the site author's.
    author: front.name ?? site.author,
    url: new URL(urlPath, site.baseUrl).toString(),
    ...(published ? { published } : {}),
  };
  return { file: page.path, urlPath, text: `---\n${stringifyYaml(note)}---\n\n${body}\n` };
}

export interface BuildOptions extends SiteSource {
  /** The copy of the site: a checkout or a bare git repository. */
  copy: string;
  /** The set's name, written into set.json. */
  name: string;
  out: string;
  /** The committed questions of the set. */
  questionsFile: string;
}

export interface BuildResult {
  pages: number;
  questions: number;
  /** `id: /expected/path` for each expected page the copy does not have. */
  missing: string[];
}

/** Writes notes/, questions.json and set.json into `out`, replacing any notes built before. */
export function buildDevSet(options: BuildOptions): BuildResult {
  const notesDirectory = join(options.out, 'notes');
  rmSync(notesDirectory, { recursive: true, force: true });
  mkdirSync(notesDirectory, { recursive: true });
  const urlPaths = new Set<string>();
  for (const page of readSitePages(options.copy, options.content)) {
    const note = toNote(page, options);
    if (!note) continue;
    mkdirSync(dirname(join(notesDirectory, note.file)), { recursive: true });
    writeFileSync(join(notesDirectory, note.file), note.text);
    urlPaths.add(note.urlPath);
  }
  copyFileSync(options.questionsFile, join(options.out, 'questions.json'));
  const manifest = {
    name: options.name,
    description: `Pages of ${options.baseUrl} built from a local copy of its public source`,
    notes: 'notes',
    questions: 'questions.json',
    pageKey: 'url-path',
  };
  writeFileSync(join(options.out, 'set.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const questions = JSON.parse(readFileSync(options.questionsFile, 'utf8')) as { id: string; expected: string[] }[];
  const missing = questions.flatMap((question) =>
    question.expected.filter((path) => !urlPaths.has(path)).map((path) => `${question.id}: ${path}`),
  );
  return { pages: urlPaths.size, questions: questions.length, missing };
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function usage(): string {
  return (
    'usage: node --import tsx apps/cli/scripts/build-dev-set.ts <copy of the site> [--set NAME] [--out DIR] [--content DIR] [--base-url URL] [--author NAME]\n' +
    `known sets: ${Object.entries(knownSets)
      .map(([name, known]) => `${name} (${known.repository})`)
      .join(', ')}`
  );
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      set: { type: 'string', default: 'staffeng' },
      out: { type: 'string' },
      content: { type: 'string' },
      'base-url': { type: 'string' },
      author: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage()}\n`);
    return;
  }
  const copy = positionals[0];
  if (!copy) fail(usage());
  const name = values.set;
  if (!setNamePattern.test(name)) fail(`A set name is lower-case letters, digits, '.', '_' and '-': ${name}`);
  const questionsFile = join(committedSetsDirectory, name, 'questions.json');
  if (!existsSync(questionsFile)) fail(`The set ${name} has no committed questions: ${questionsFile}`);
  const known = knownSets[name];
  const baseUrl = values['base-url'] ?? known?.baseUrl;
  const author = values.author ?? known?.author;
  if (!baseUrl || !author) fail(`The set ${name} is not one this script knows: give --base-url and --author (and --content)`);
  const out = resolve(values.out ?? join(repositoryRoot, '.cairn/dev-sets', name));
  const result = buildDevSet({
    copy: resolve(copy),
    name,
    out,
    questionsFile,
    content: values.content ?? known?.content ?? 'content',
    baseUrl,
    author,
  });
  process.stdout.write(`Wrote ${result.pages} pages and ${result.questions} questions to ${out}\n`);
  if (result.missing.length > 0) {
    process.stderr.write(`Expected pages missing from the copy:\n  ${result.missing.join('\n  ')}\n`);
    process.exitCode = 1;
  }
}

/** Whether node was started on this file (a test imports it without building anything). */
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  return entry !== undefined && existsSync(entry) && realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
}

if (isEntryPoint()) main();
