import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDevSet, knownSets, readSitePages, toNote } from '../scripts/build-dev-set.js';
import { devSetsDirectory } from '../src/eval/dev-set.js';

const scratch = mkdtempSync(join(tmpdir(), 'cairn-build-dev-set-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

// A Gatsby blog in the shape of github.com/sgoedecke/gatsby-blog: one page bundle per post.
const blog = {
  'content/blog/how-to-ship/index.md':
    "---\ntitle: How I ship projects\ndate: '2024-11-09'\ntags: ['shipping']\n---\n\nShipping is a social construct.\n",
  'content/blog/impro/index.md': '---\ntitle: A book report\ndate: 2025-01-02\n---\n\nNotes on a book.\n',
  // Not posts: a page bundle's stray notes, and a draft outside the blog directory.
  'content/blog/impro/notes.md': 'https://example.com/a-link\n',
  'content/drafts/unfinished/index.md': '---\ntitle: Unfinished\n---\n\nNot published.\n',
  'README.md': '# The site\n',
};

describe('build-dev-set', () => {
  it('reads the pages under the content directory it is given, from a checkout and from a bare repository', () => {
    const checkout = join(scratch, 'blog');
    writeFiles(checkout, blog);
    const paths = ['how-to-ship/index.md', 'impro/index.md', 'impro/notes.md'];
    expect(readSitePages(checkout, 'content/blog').map((page) => page.path)).toEqual(paths);

    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd: checkout, stdio: 'pipe' });
    git('init', '--quiet');
    git('add', '.');
    git('commit', '--quiet', '-m', 'pages');
    const bare = join(scratch, 'blog.git');
    execFileSync('git', ['clone', '--quiet', '--bare', checkout, bare], { stdio: 'pipe' });
    const fromBare = readSitePages(bare, 'content/blog');
    expect(fromBare.map((page) => page.path)).toEqual(paths);
    expect(fromBare[0]!.text).toBe(blog['content/blog/how-to-ship/index.md']);
  });

  it('names a page bundle by its directory, and a Hugo page by its url: or its path', () => {
    const site = { baseUrl: 'https://www.seangoedecke.com', author: 'Sean Goedecke' };
    const post = toNote({ path: 'how-to-ship/index.md', text: blog['content/blog/how-to-ship/index.md'] }, site);
    expect(post?.urlPath).toBe('/how-to-ship');
    expect(post?.text).toContain('url: https://www.seangoedecke.com/how-to-ship\n');
    expect(post?.text).toContain('author: Sean Goedecke\n');
    expect(post?.text).toContain('published: 2024-11-09\n');
    expect(toNote({ path: 'impro/notes.md', text: blog['content/blog/impro/notes.md'] }, site)).toBeNull();

    const staffeng = { baseUrl: 'https://staffeng.com', author: 'Will Larson' };
    const section = toNote({ path: 'guides/_index.md', text: '---\ntitle: Guides\n---\n\nAll the guides.\n' }, staffeng);
    expect(section?.urlPath).toBe('/guides');
    const story = toNote(
      { path: 'stories/someone.md', text: '---\ntitle: A story\nname: Some One\nurl: /stories/some-one/\n---\n\nHow I got here.\n' },
      staffeng,
    );
    expect(story?.urlPath).toBe('/stories/some-one');
    expect(story?.text).toContain('author: Some One\n');
  });

  it('writes the notes, the questions and set.json, and lists expected pages the copy lacks', () => {
    const questionsFile = join(scratch, 'questions.json');
    writeFileSync(
      questionsFile,
      JSON.stringify([
        { id: 'q1', question: 'How do I get a launch out of the door?', expected: ['/how-to-ship'] },
        { id: 'q2', question: 'Where is the unfinished draft?', expected: ['/unfinished'] },
      ]),
    );
    const out = join(scratch, 'built');
    const result = buildDevSet({ copy: join(scratch, 'blog'), name: 'blog', out, questionsFile, ...knownSets.seangoedecke! });
    expect(result).toEqual({ pages: 2, questions: 2, missing: ['q2: /unfinished'] });
    expect(existsSync(join(out, 'notes/how-to-ship/index.md'))).toBe(true);
    expect(existsSync(join(out, 'notes/impro/notes.md'))).toBe(false);
    expect(JSON.parse(readFileSync(join(out, 'set.json'), 'utf8'))).toMatchObject({ name: 'blog', pageKey: 'url-path' });
    expect(readFileSync(join(out, 'questions.json'), 'utf8')).toBe(readFileSync(questionsFile, 'utf8'));
  });

  it('knows the staffeng site as before, and every known set has at least 30 committed questions naming pages by URL path', () => {
    expect(knownSets.staffeng).toMatchObject({ content: 'content', baseUrl: 'https://staffeng.com', author: 'Will Larson' });
    for (const name of Object.keys(knownSets)) {
      const questions = JSON.parse(readFileSync(join(devSetsDirectory, name, 'questions.json'), 'utf8')) as {
        id: string;
        question: string;
        expected: string[];
      }[];
      expect(questions.length, name).toBeGreaterThanOrEqual(30);
      expect(new Set(questions.map((question) => question.id)).size, name).toBe(questions.length);
      for (const question of questions) {
        expect(question.expected.length, question.id).toBeGreaterThan(0);
        for (const path of question.expected) expect(path, question.id).toMatch(/^(\/[a-z0-9-]+)+$/);
      }
    }
  });
});
