import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createTestDatabase, startFakeOpenAIServer, startFixtureSite, testRedisUrl, type TestDatabase } from '@cairn/testing';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../bin/cairn.js', import.meta.url));

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function cairn(args: string[], environment: Record<string, string>): Promise<Result> {
  const env = { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'error', ...environment };
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The keys of one Redis database, sorted. */
async function redisKeys(redis: URL, database: number): Promise<string[]> {
  const client = new Redis({ host: redis.hostname, port: Number(redis.port || 6379), db: database, lazyConnect: true });
  try {
    await client.connect();
    return (await client.keys('*')).sort();
  } finally {
    client.disconnect();
  }
}

describe('the cairn command', () => {
  let dataDir: string;
  let testDatabase: TestDatabase;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'cairn-cli-'));
    testDatabase = await createTestDatabase();
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await testDatabase?.drop();
  });

  it.each([
    'serve',
    'worker',
    'ask',
    'search',
    'ingest',
    'sources',
    'eval',
    'migrate',
    'keys',
    'keys create',
    'keys list',
    'keys revoke',
    'bench',
  ])(
    'documents %s with --help',
    async (command) => {
      const result = await cairn([...command.split(' '), '--help'], {});
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: cairn ${command}`));
    },
    60_000,
  );

  it('refuses a -k outside its range before any work, naming the range', async () => {
    for (const [command, k, range] of [
      ['search', '0', '1 to 50'],
      ['search', 'abc', '1 to 50'],
      ['ask', '2.5', '1 to 20'],
      ['ask', '50', '1 to 20'],
    ] as const) {
      const result = await cairn([command, 'how do I run a 1:1', '-k', k], { CAIRN_DATA_DIR: dataDir });
      expect(result.code, `${command} -k ${k}`).toBe(1);
      expect(result.stderr).toContain(`expects a whole number from ${range} (not "${k}")`);
    }
  });

  it('refuses what the API refuses: bidirectional controls, an empty or over-long query, and stores nothing', async () => {
    for (const [args, code] of [
      [['ask', '\u202eWhat is the feedback equation?'], 'invalid_text'],
      [['search', 'feedback\u2066'], 'invalid_text'],
      [['search', 'feedback', '--source', 'starter\u202enotes'], 'invalid_text'],
      [['search', '   '], 'query_empty'],
      [['search', 'y'.repeat(2001)], 'query_too_long'],
      [['ingest', '--url', 'notaurl', '--name', 'x'], 'invalid_url'],
      [['ingest', '--url', 'ftp://example.com/feed'], 'invalid_url'],
      [['ingest', '--url', 'https://user:secret@example.com/'], 'invalid_url'],
      [['ask', '   '], 'question_empty'],
    ] as const) {
      const fresh = await mkdtemp(join(tmpdir(), 'cairn-cli-refused-'));
      try {
        const result = await cairn([...args], { CAIRN_DATA_DIR: fresh });
        expect(result.code, args.join(' ').slice(0, 40)).toBe(1);
        expect(result.stderr).toContain(`(${code})`);
        // Refused before anything was opened: no database was made.
        expect(await readdir(fresh)).toEqual([]);
      } finally {
        await rm(fresh, { recursive: true, force: true });
      }
    }
  });

  it('answers a question with citations on the embedded database, as JSON', async () => {
    const result = await cairn(['ask', 'What is the difference between a sponsor and a mentor?', '--json'], { CAIRN_DATA_DIR: dataDir });
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(body).toMatchObject({ mode: 'extractive', outcome: 'answered' });
    expect(body.citations[0].url).toMatch(/^https:\/\/larahogan\.me\//);
    expect(body.answer).toContain('**Sponsorship vs Mentorship** (Lara Hogan)');
    // In a terminal's text, the sources the [n] markers name follow the answer.
    const human = await cairn(['ask', 'What is the difference between a sponsor and a mentor?'], { CAIRN_DATA_DIR: dataDir });
    expect(human.code).toBe(0);
    const markers = new Set([...human.stdout.matchAll(/\[(\d+)\]/g)].map((match) => match[1]));
    expect(markers.size).toBeGreaterThan(0);
    expect(human.stdout).toContain('**Sources**');
    for (const n of markers) expect(human.stdout).toMatch(new RegExp(`^\\[${n}\\] .*https://`, 'm'));
  }, 60_000);

  it('prints the rank of each stage of a search, and reranks with the chat model when CAIRN_RERANK=llm', async () => {
    const query = 'what are the staff engineer archetypes';
    const human = await cairn(['search', query, '--k', '3'], { CAIRN_DATA_DIR: dataDir });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(
      /^#\s+score\s+dense\s+keyword\s+page\s+fused\s+reranked\s+passage\s+url\n1\s+\d\.\d{4}\s+(\d+|-)\s+(\d+|-)\s+\d+\s+\d+\s+1\s/,
    );
    expect(human.stdout).toMatch(/\n[\d.]+ ms \(reranked by features-v1 in [\d.]+ ms\)\n$/);
    const dense = await cairn(['search', query, '--k', '3', '--mode', 'dense'], { CAIRN_DATA_DIR: dataDir });
    expect(dense.stdout).toMatch(/\n1\s+\d\.\d{4}\s+\d+\s+-\s+-\s+\d+\s+-\s/);
    expect(dense.stdout).not.toContain('reranked by');

    const features = JSON.parse((await cairn(['search', query, '--k', '3', '--json'], { CAIRN_DATA_DIR: dataDir })).stdout);
    expect(features.reranker).toBe('features-v1');
    const model = await startFakeOpenAIServer();
    try {
      model.setChatReply('[2, 1]');
      const llm = await cairn(['search', query, '--k', '3', '--json'], {
        CAIRN_DATA_DIR: dataDir,
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: model.url,
        EMBEDDING_MODEL: 'local-hash-v1',
        CAIRN_RERANK: 'llm',
      });
      expect(llm.code).toBe(0);
      const body = JSON.parse(llm.stdout);
      expect(body.reranker).toBe('llm');
      expect(model.requests.filter((request) => request.path === '/v1/chat/completions')).toHaveLength(1);
      // The model put the feature reranker's second passage first.
      const ids = (results: { chunkId: string }[]) => results.map((result) => result.chunkId);
      expect(ids(body.results).slice(0, 2)).toEqual([ids(features.results)[1], ids(features.results)[0]]);
    } finally {
      await model.close();
    }
  }, 120_000);

  it('ingests a directory on server Postgres, then finds it, and skips it unchanged next time', async () => {
    const notes = join(dataDir, 'our-notes');
    await mkdir(notes, { recursive: true });
    await writeFile(
      join(notes, 'incident-reviews.md'),
      '---\ntitle: Our incident reviews\nauthor: SRE team\n---\n# Our incident reviews\n\n## Blameless format\n\nEvery incident review at Acme is blameless and names a follow-up owner within two days.\n',
    );
    const environment = { DATABASE_URL: testDatabase.url, CAIRN_STARTER_CORPUS: 'off' };
    const first = await cairn(['ingest', '--dir', notes, '--json'], environment);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).counts).toMatchObject({ discovered: 1, fetched: 1, unchanged: 0, chunksAdded: 1 });
    const second = await cairn(['ingest', '--dir', notes], environment);
    expect(second.stdout).toMatch(
      /^discovered\s+fetched\s+unchanged\s+skipped\s+failed\s+passages added\s+passages removed\n1\s+1\s+1\s+0\s+0\s+0\s+0\n/,
    );
    expect(second.stdout).toMatch(/into the source our-notes/);
    const search = await cairn(['search', 'blameless incident review follow-up owner', '--json', '--source', 'our-notes'], environment);
    const results = JSON.parse(search.stdout).results;
    expect(results[0]).toMatchObject({ title: 'Our incident reviews', author: 'SRE team', source: 'our-notes' });

    // Another directory under the same name would remove these notes: refused, nothing removed, until --replace.
    const other = join(dataDir, 'other-notes');
    await mkdir(other, { recursive: true });
    await writeFile(
      join(other, 'on-call.md'),
      '---\ntitle: On-call\n---\n# On-call\n\nOur on-call rotation is weekly, with a handover every Monday.\n',
    );
    const refused = await cairn(['ingest', '--dir', other, '--name', 'our-notes'], environment);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/The source our-notes holds the notes of .*our-notes; reading .*other-notes into it would remove them/);
    const web = await cairn(['ingest', '--dir', other, '--name', 'lethain'], environment);
    expect(web.code).toBe(1);
    expect(web.stderr).toMatch(/The source lethain holds the pages crawled from https:\/\/lethain\.com/);
    const kept = await cairn(['search', 'blameless incident review', '--json', '--source', 'our-notes'], environment);
    expect(JSON.parse(kept.stdout).results[0]).toMatchObject({ title: 'Our incident reviews' });
    const replaced = await cairn(['ingest', '--dir', other, '--name', 'our-notes', '--replace', '--json'], environment);
    expect(replaced.code).toBe(0);
    expect(JSON.parse(replaced.stdout)).toMatchObject({ source: 'our-notes', counts: { chunksAdded: 1, chunksRemoved: 1 } });
  }, 60_000);

  it('crawls a site from a URL into a source, then re-crawls it by name, honouring robots.txt', async () => {
    const site = await startFixtureSite();
    const environment = {
      DATABASE_URL: testDatabase.url,
      CAIRN_STARTER_CORPUS: 'off',
      INGEST_ALLOW_PRIVATE_NETWORKS: '127.0.0.1',
      INGEST_CONTACT: 'mailto:ops@example.com',
    };
    try {
      const first = await cairn(['ingest', '--url', `${site.url}/sitemap.xml`, '--name', 'fixture-site', '--json'], environment);
      expect(first.code).toBe(0);
      const body = JSON.parse(first.stdout);
      expect(body).toMatchObject({ sources: ['fixture-site'], complete: true, counts: { failed: 0 } });
      expect(body.counts.fetched).toBeGreaterThanOrEqual(10);
      expect(site.requests.every((request) => request.headers['user-agent'] === 'CairnBot/0.1 (+mailto:ops@example.com)')).toBe(true);
      const second = await cairn(['ingest', '--source', 'fixture-site'], environment);
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(/^discovered\s+fetched\s+unchanged/);
      const missing = await cairn(['ingest', '--source', 'nope'], environment);
      expect(missing).toMatchObject({ code: 1, stderr: 'cairn: No source is named nope; `cairn sources` lists them\n' });
      const both = await cairn(['ingest', '--all', '--dir', '.'], environment);
      expect(both.stderr).toMatch(/^cairn: Give exactly one of --dir, --source, --all or --url/);
      // A first --url that stores nothing (a host that cannot be reached) leaves no source behind; an existing source stays.
      const broken = await cairn(['ingest', '--url', 'http://127.0.0.1:1/page/', '--name', 'broken'], environment);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toMatch(/the source broken was not kept: no page was stored from http:\/\/127\.0\.0\.1:1\/page\//);
      expect(await cairn(['ingest', '--source', 'broken'], environment)).toMatchObject({
        code: 1,
        stderr: 'cairn: No source is named broken; `cairn sources` lists them\n',
      });
      // `cairn sources` lists what is in the index: the crawled site with its pages (beside the configured sources
      // the migrations add), and no trace of the broken one.
      const listed = await cairn(['sources', '--json'], environment);
      expect(listed.code).toBe(0);
      const { sources } = JSON.parse(listed.stdout) as { sources: { name: string; kind: string; documents: number; chunks: number }[] };
      expect(sources.map((source) => source.name)).not.toContain('broken');
      const crawled = sources.find((source) => source.name === 'fixture-site')!;
      expect(crawled.kind).toBe('web');
      expect(crawled.documents).toBeGreaterThanOrEqual(10);
      expect(crawled.chunks).toBeGreaterThanOrEqual(crawled.documents);
      const human = await cairn(['sources'], environment);
      expect(human.stdout).toMatch(/^name\s+kind\s+pages\s+passages\s+stale\s+last fetched\s+last run\s+address\n/);
      expect(human.stdout).toMatch(
        new RegExp(
          `^fixture-site\\s+web\\s+${crawled.documents}\\s+${crawled.chunks}\\s+0\\s+\\d{4}-\\d{2}-\\d{2}\\s+succeeded \\d{4}`,
          'm',
        ),
      );
      const again = await cairn(['ingest', '--url', 'http://127.0.0.1:1/page/', '--name', 'fixture-site', '--json'], environment);
      expect(JSON.parse(again.stdout)).toMatchObject({ sources: ['fixture-site'] });
      expect(JSON.parse(again.stdout).removedSource).toBeUndefined();
      expect((await cairn(['ingest', '--source', 'fixture-site'], environment)).code).toBe(0);
    } finally {
      await site.close();
    }
  }, 120_000);

  it('stops with one line naming the variable for a malformed setting or an unreachable database', async () => {
    const badPort = await cairn(['serve'], { PORT: 'eighty', CAIRN_DATA_DIR: dataDir });
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toBe('cairn: configuration error: PORT: expects a whole number from 0 to 65535 (got "eighty")\n');
    const unreachable = await cairn(['ask', 'hello'], { DATABASE_URL: 'postgres://cairn:secret@127.0.0.1:1/cairn' });
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toBe(
      'cairn: configuration error: DATABASE_URL: cannot connect to postgres://cairn:***@127.0.0.1:1/cairn (ECONNREFUSED)\n',
    );
    // The server answers and refuses: its own words beside the SQLSTATE, which alone says nothing to a newcomer.
    const missing = new URL(testDatabase.url);
    missing.pathname = '/cairn_no_such_database';
    const noDatabase = await cairn(['sources'], { DATABASE_URL: missing.href });
    expect(noDatabase.code).toBe(2);
    expect(noDatabase.stderr).toMatch(/cannot connect to .*\(3D000: database "cairn_no_such_database" does not exist\)\n$/);
  }, 60_000);

  it('refuses to start a worker without Redis or without server Postgres', async () => {
    const noRedis = await cairn(['worker'], { CAIRN_DATA_DIR: dataDir });
    expect(noRedis).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^cairn: configuration error: REDIS_URL: cairn worker needs it/),
    });
    const noPostgres = await cairn(['worker'], { CAIRN_DATA_DIR: dataDir, REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(noPostgres).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^cairn: configuration error: DATABASE_URL: cairn worker needs it \(server Postgres\)/),
    });
    // A Redis that does not answer: one line naming REDIS_URL (password hidden), status 2, where BullMQ retried in silence.
    const deadRedis = await cairn(['worker'], { DATABASE_URL: testDatabase.url, REDIS_URL: 'redis://:secret@127.0.0.1:1' });
    expect(deadRedis.code).toBe(2);
    expect(deadRedis.stderr).toMatch(
      /^cairn: configuration error: REDIS_URL: is redis:\/\/:\*\*\*@127\.0\.0\.1:1, which does not answer \(connect ECONNREFUSED/,
    );
    expect(deadRedis.stderr).not.toContain('secret');
    // A database number this Redis does not have: refused, where the worker went on in database 0 (another deployment's queue).
    const redis = new URL(testRedisUrl());
    const before = await redisKeys(redis, 0);
    const missingDatabase = await cairn(['worker'], { DATABASE_URL: testDatabase.url, REDIS_URL: `redis://${redis.host}/99` });
    expect(missingDatabase).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(
        /^cairn: configuration error: REDIS_URL: is redis:\/\/[^ ]+\/99, whose database 99 this Redis does not have/,
      ),
    });
    expect(await redisKeys(redis, 0)).toEqual(before);
    // A path that is no database number: refused as configuration, where ioredis crashed with a stack at its first command.
    const notANumber = await cairn(['worker'], { DATABASE_URL: testDatabase.url, REDIS_URL: `redis://${redis.host}/abc` });
    expect(notANumber).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^cairn: configuration error: REDIS_URL: expects a database number/),
    });
    expect(notANumber.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('creates, lists and revokes API keys, printing a key once and storing its hash', async () => {
    const environment = { DATABASE_URL: testDatabase.url };
    const created = await cairn(['keys', 'create', '--name', 'ci-bot', '--scopes', 'ask,admin', '--json'], environment);
    expect(created.code).toBe(0);
    const record = JSON.parse(created.stdout);
    expect(record).toMatchObject({ name: 'ci-bot', scopes: ['ask', 'admin'], key: expect.stringMatching(/^cairn_/) });
    const listed = await cairn(['keys', 'list'], environment);
    expect(listed.stdout).toContain(record.prefix);
    expect(listed.stdout).not.toContain(record.key);
    const bad = await cairn(['keys', 'create', '--name', 'x', '--scopes', 'root'], environment);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/expects a comma-separated list of ask, admin \(not root\)/);
    const revoked = await cairn(['keys', 'revoke', record.id], environment);
    expect(revoked.stdout).toMatch(/^Revoked: /);
    expect((await cairn(['keys', 'list', '--json'], environment)).stdout).toMatch(/"revokedAt": "\d{4}-/);
    const unknown = await cairn(['keys', 'revoke', '6c8e1c4e-1d7e-4c55-9a34-0d7b6bbd0f11'], environment);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('key_not_found');
    // With no admin key left, an ask-only key would lock the API's admin routes.
    const askOnly = await cairn(['keys', 'create', '--name', 'bot', '--scopes', 'ask'], environment);
    expect(askOnly.code).toBe(1);
    expect(askOnly.stderr).toMatch(/No admin key exists.*admin scope/);
  }, 60_000);

  it('migrates and reports nothing left to do the second time', async () => {
    const fresh = await createTestDatabase();
    try {
      const first = await cairn(['migrate', '--json'], { DATABASE_URL: fresh.url });
      expect(JSON.parse(first.stdout).applied).toContain('0001_create_schema.sql');
      const second = await cairn(['migrate'], { DATABASE_URL: fresh.url });
      expect(second.stdout).toMatch(/^Nothing to apply: \d+ migrations already applied\./);
    } finally {
      await fresh.drop();
    }
  }, 60_000);
});
