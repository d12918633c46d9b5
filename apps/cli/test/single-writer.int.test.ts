import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '@cairn/store';
import { baseEnvironment, request, seconds, sleep, startCairn, startServe, type CairnProcess } from './faults/services.js';

/** Whether a process still runs (a zombie nobody has reaped yet has stopped). */
function running(pid: number): boolean {
  if (existsSync('/proc/self/stat')) {
    try {
      return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const question = 'What is the difference between a sponsor and a mentor?';

/**
 * One process at a time on the embedded database: `cairn ask` beside `cairn serve` on the
 * same CAIRN_DATA_DIR stops at once with one line that names the API process holding it
 * (no second writer whose conversation the server never sees), and after a `kill -9` of
 * the server the lock it left does not stand in the way.
 */
describe('one process at a time on the embedded database (CAIRN_DATA_DIR)', () => {
  let dataDir: string;
  let server: CairnProcess | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'cairn-single-writer-'));
  });

  afterAll(async () => {
    await server?.kill();
    await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  });

  it('refuses cairn ask while cairn serve holds the directory, and lets it in after a kill -9 of the server', async () => {
    const environment = baseEnvironment({ CAIRN_DATA_DIR: dataDir, CAIRN_STARTER_CORPUS: 'on' });
    const served = await startServe(environment);
    server = served.process;
    const lockPath = join(dataDir, 'pglite.lock');
    const lockText = readFileSync(lockPath, 'utf8');
    const holder = JSON.parse(lockText) as { pid: number; command: string };
    // `cairn serve` runs the API as its child, and the child holds the database.
    expect(holder.pid).not.toBe(server.child.pid);
    expect(holder.command).toMatch(/apps\/api\/bin\/cairn-api\.js$/);

    const refusedAt = Date.now();
    const ask = startCairn(['ask', question, '--json'], environment);
    const refusal = await ask.exited;
    const refusedAfter = Date.now() - refusedAt;
    expect(refusal.code, ask.output()).toBe(2);
    expect(ask.output()).toMatch(
      new RegExp(
        String.raw`^cairn: configuration error: CAIRN_DATA_DIR: the embedded database in \S+/pglite takes one process at a time, ` +
          String.raw`and it is open in another process: pid ${holder.pid} \(node \S*apps/api/bin/cairn-api\.js\), since [\d-]+ [\d:]+ UTC\. ` +
          String.raw`Stop that process, send your requests to its API \(POST /v1/ask\) instead, or set DATABASE_URL to a server Postgres that both can use\.\n$`,
      ),
    );

    // The way in that the line names: the server's API answers, and its conversation is its own.
    const answered = await request(`${served.url}/v1/ask`, { body: { question }, timeoutMs: 60_000 });
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);

    // kill -9 of cairn serve: the API follows its parent, and its lock is left behind.
    server.child.kill('SIGKILL');
    expect((await server.exited).signal).toBe('SIGKILL');
    const deadline = Date.now() + 10_000;
    while (running(holder.pid)) {
      if (Date.now() > deadline) throw new Error(`the API (pid ${holder.pid}) outlived cairn serve by 10 s`);
      await sleep(20);
    }
    // The API dies by SIGKILL when its parent's channel closes; on a loaded machine it may first see the channel's
    // write fail and exit through its exit handlers, releasing the lock (one clean-clone run in session 34). What this
    // test is for is the lock a crash leaves: where the race released it, it is put back as the dead process held it.
    if (!existsSync(lockPath)) writeFileSync(lockPath, lockText);
    expect(existsSync(lockPath)).toBe(true);

    const afterKillAt = Date.now();
    const again = startCairn(['ask', question, '--json'], environment);
    const exit = await again.exited;
    const answeredAfter = Date.now() - afterKillAt;
    expect(exit.code, again.output()).toBe(0);
    const body = JSON.parse(again.output()) as { conversationId: string; citations: unknown[] };
    expect(body.citations.length).toBeGreaterThan(0);
    // Released at exit, and what it wrote is there for the next process (no lost write).
    expect(existsSync(lockPath)).toBe(false);
    const store = await Store.open({ dataDir });
    try {
      const rows = await store.database.query<{ id: string }>('select id from conversations where id = $1', [body.conversationId]);
      expect(rows).toHaveLength(1);
    } finally {
      await store.close();
    }
    console.log(
      `single writer: cairn ask beside cairn serve on one CAIRN_DATA_DIR exited 2 after ${seconds(refusedAfter)} (process start included) with one line naming the API (pid ${holder.pid}); ` +
        `after kill -9 of cairn serve its stale lock was taken over and cairn ask answered in ${seconds(answeredAfter)}, its conversation stored`,
    );
  }, 240_000);
});
