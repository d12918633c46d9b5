/**
 * Builds the full `staffeng` development set from a local copy of the public staff-eng
 * site (github.com/lethain/staff-eng, a Hugo site): each page under content/ becomes a
 * markdown note with the front matter `cairn ingest --dir` reads (title, author, url,
 * published), and the committed questions are copied beside them. The pages are
 * third-party text, so the set is written outside the repository's tracked files
 * (`.cairn/` is git-ignored).
 *
 *   node --import tsx apps/cli/scripts/build-dev-set.ts <copy of staff-eng> [--out .cairn/dev-sets/staffeng]
 *
 * The copy is a checkout (with content/) or a bare git repository (read at HEAD).
 * Then: `npm run cairn -- eval --set staffeng` (see docs/evaluation.md).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const questionsFile = join(repositoryRoot, 'packages/starter-corpus/dev-sets/staffeng/questions.json');
const frontMatterPattern = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

interface SitePage {
  /** Path under content/, e.g. guides/staff-archetypes.md. */
  path: string;
  text: string;
}

/** The markdown pages of a Hugo site's content/, from a checkout or a bare git repository. */
function readSitePages(copy: string): SitePage[] {
  if (existsSync(join(copy, 'content'))) {
    const content = join(copy, 'content');
    return readdirSync(content, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
      .map((entry) => join(entry.parentPath, entry.name))
      .sort()
      .map((file) => ({ path: relative(content, file).split('\\').join('/'), text: readFileSync(file, 'utf8') }));
  }
  const git = (...args: string[]) => execFileSync('git', ['--git-dir', copy, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return git('ls-tree', '-r', '--name-only', 'HEAD', 'content/')
    .split('\n')
    .filter((path) => path.endsWith('.md'))
    .sort()
    .map((path) => ({ path: path.slice('content/'.length), text: git('show', `HEAD:${path}`) }));
}

interface HugoFrontMatter {
  title?: string;
  url?: string;
  date?: string | Date;
  name?: string;
}

/** A page as a note: its URL path is the id the questions use. */
function toNote(page: SitePage, baseUrl: string, siteAuthor: string): { file: string; urlPath: string; text: string } | null {
  const match = frontMatterPattern.exec(page.text);
  const front = (match ? parseYaml(match[1]!) : {}) as HugoFrontMatter;
  // Hugo shortcodes render to nothing a reader sees as prose.
  const body = (match ? page.text.slice(match[0].length) : page.text).replace(/\{\{[<%][\s\S]*?[>%]\}\}/g, '').trim();
  if (!body || !front.title) return null;
  const urlPath = (front.url ?? `/${page.path.replace(/(\/_?index)?\.md$/, '')}`).replace(/\/+$/, '') || '/';
  const published = front.date instanceof Date ? front.date.toISOString().slice(0, 10) : front.date;
  const note = {
    title: front.title,
    // A story is its subject's own account; the guides are the site author's.
    author: front.name ?? siteAuthor,
    url: new URL(urlPath, baseUrl).toString(),
    ...(published ? { published } : {}),
  };
  return { file: page.path, urlPath, text: `---\n${stringifyYaml(note)}---\n\n${body}\n` };
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: 'string', default: join(repositoryRoot, '.cairn/dev-sets/staffeng') },
      'base-url': { type: 'string', default: 'https://staffeng.com' },
      author: { type: 'string', default: 'Will Larson' },
    },
  });
  const copy = positionals[0];
  if (!copy) {
    process.stderr.write('usage: node --import tsx apps/cli/scripts/build-dev-set.ts <copy of github.com/lethain/staff-eng> [--out DIR]\n');
    process.exit(2);
  }
  const out = resolve(values.out);
  const notesDirectory = join(out, 'notes');
  rmSync(notesDirectory, { recursive: true, force: true });
  const urlPaths = new Set<string>();
  for (const page of readSitePages(resolve(copy))) {
    const note = toNote(page, values['base-url'], values.author);
    if (!note) continue;
    mkdirSync(dirname(join(notesDirectory, note.file)), { recursive: true });
    writeFileSync(join(notesDirectory, note.file), note.text);
    urlPaths.add(note.urlPath);
  }
  copyFileSync(questionsFile, join(out, 'questions.json'));
  const manifest = {
    name: 'staffeng',
    description: `Pages of ${values['base-url']} built from a local copy of its public source`,
    notes: 'notes',
    questions: 'questions.json',
    pageKey: 'url-path',
  };
  writeFileSync(join(out, 'set.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const questions = JSON.parse(readFileSync(questionsFile, 'utf8')) as { id: string; expected: string[] }[];
  const missing = questions.flatMap((question) =>
    question.expected.filter((path) => !urlPaths.has(path)).map((path) => `${question.id}: ${path}`),
  );
  process.stdout.write(`Wrote ${urlPaths.size} pages and ${questions.length} questions to ${out}\n`);
  if (missing.length > 0) {
    process.stderr.write(`Expected pages missing from the copy:\n  ${missing.join('\n  ')}\n`);
    process.exitCode = 1;
  }
}

main();
