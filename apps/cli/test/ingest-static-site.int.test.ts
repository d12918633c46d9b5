import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@cairn/testing';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../bin/cairn.js', import.meta.url));

async function cairn(args: string[], environment: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'error', ...environment };
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function page(title: string, canonical: string): string {
  const paragraph = `<p>${title} covers how an engineering organisation writes down its decisions, reviews them with the people who will live with them, and revisits them when the assumptions behind them stop holding. It is slow work, and worth it.</p>`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title} | Handbook</title><link rel="canonical" href="${canonical}"></head>
<body><main><article><h1>${title}</h1>${paragraph}<h2 id="details">Details</h2>${paragraph}</article></main></body></html>\n`;
}

describe('cairn ingest --dir --base-url', () => {
  let site: string;
  let testDatabase: TestDatabase;

  beforeAll(async () => {
    site = await mkdtemp(join(tmpdir(), 'cairn-static-site-'));
    const files = {
      'decision-records/index.html': page('Decision records', 'https://handbook.example/docs/decision-records/'),
      'on-call/index.html': page('On-call rotations', 'https://handbook.example/docs/on-call/'),
    };
    for (const [path, html] of Object.entries(files)) {
      await mkdir(dirname(join(site, path)), { recursive: true });
      await writeFile(join(site, path), html);
    }
    testDatabase = await createTestDatabase();
  });

  afterAll(async () => {
    await rm(site, { recursive: true, force: true });
    await testDatabase?.drop();
  });

  it('ingests a built static site as pages of its public address, cited there, and re-runs cheaply', async () => {
    const environment = { DATABASE_URL: testDatabase.url, CAIRN_STARTER_CORPUS: 'off' };
    const args = ['ingest', '--dir', site, '--base-url', 'https://handbook.example/docs/', '--name', 'handbook'];
    const first = await cairn([...args, '--json'], environment);
    expect(first.stderr).toBe('');
    expect(JSON.parse(first.stdout).counts).toMatchObject({ discovered: 2, fetched: 2, skipped: 0, failed: 0 });
    const search = await cairn(['search', 'decision records revisits assumptions', '--json', '--source', 'handbook'], environment);
    expect(JSON.parse(search.stdout).results[0]).toMatchObject({
      url: expect.stringMatching(/^https:\/\/handbook\.example\/docs\/decision-records\/(#|$)/),
      source: 'handbook',
    });

    const second = await cairn([...args, '--json'], environment);
    expect(JSON.parse(second.stdout).counts).toMatchObject({ unchanged: 2, chunksAdded: 0, chunksRemoved: 0 });

    await unlink(join(site, 'on-call/index.html'));
    const third = await cairn([...args, '--json'], environment);
    expect(third.code).toBe(0);
    expect(JSON.parse(third.stdout).counts).toMatchObject({ discovered: 1, unchanged: 1 });
    const gone = await cairn(['search', 'on-call rotations', '--json', '--source', 'handbook'], environment);
    const urls: string[] = JSON.parse(gone.stdout).results.map((result: { url: string }) => result.url);
    expect(urls.filter((url) => url.startsWith('https://handbook.example/docs/on-call/'))).toEqual([]);
  }, 120_000);

  it('refuses --base-url without --dir, and a base URL that is not http(s)', async () => {
    const environment = { DATABASE_URL: testDatabase.url, CAIRN_STARTER_CORPUS: 'off' };
    const alone = await cairn(['ingest', '--all', '--base-url', 'https://handbook.example/'], environment);
    expect(alone).toMatchObject({ code: 1, stderr: expect.stringMatching(/^cairn: --base-url goes with --dir/) });
    const notHttp = await cairn(['ingest', '--dir', site, '--base-url', 'ftp://handbook.example/'], environment);
    expect(notHttp.code).not.toBe(0);
    expect(notHttp.stderr).toMatch(/--base-url: "ftp:\/\/handbook\.example\/" is not an http or https URL/);
  }, 60_000);
});
