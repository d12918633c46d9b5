import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '@cairn/core';
import { DataDirInUseError } from '../src/data-dir-in-use-error.js';
import { DataDirLock, lockLeaseMs } from '../src/data-dir-lock.js';
import type { LockHolder } from '../src/lock-holder.js';
import { PgliteDatabase } from '../src/pglite-database.js';
import { Store } from '../src/store.js';

const holdScript = fileURLToPath(new URL('./hold-data-dir.ts', import.meta.url));

/** A lock file as another process would have left it; `overrides` make it stale or not. */
function writeLock(path: string, overrides: Partial<LockHolder>): void {
  const holder: LockHolder = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: performance.timeOrigin,
    command: 'node apps/api/src/main.ts',
    acquiredAt: new Date().toISOString(),
    token: 'planted',
    ...overrides,
  };
  writeFileSync(path, JSON.stringify(holder));
}

const lockOf = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as LockHolder;

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

/** Opens `directory` in a second process; resolves once it holds the database. */
async function holdInAnotherProcess(directory: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', holdScript, directory], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (data: Buffer) => {
      output += data.toString();
      if (output.includes('open')) resolve();
    });
    child.stderr!.on('data', (data: Buffer) => (output += data.toString()));
    child.once('exit', (code) => reject(new Error(`the holding process exited (${code}): ${output}`)));
  });
  return child;
}

describe('the embedded database directory: one process at a time', () => {
  let root: string;
  let directory: string;
  let lockPath: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'cairn-lock-'));
    directory = join(root, 'pglite');
    lockPath = `${directory}.lock`;
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('refuses a second open in the same process with data_dir_in_use, and opens again once the first is closed', async () => {
    const first = await PgliteDatabase.open(directory);
    expect(lockOf(lockPath)).toMatchObject({ pid: process.pid, hostname: hostname() });
    const started = performance.now();
    const refused = await PgliteDatabase.open(directory).catch((error: unknown) => error);
    const refusedMs = performance.now() - started;
    expect(refused).toBeInstanceOf(DataDirInUseError);
    expect(refused).toBeInstanceOf(ConfigError);
    expect(refused).toMatchObject({ code: 'data_dir_in_use', statusCode: 409, variable: 'CAIRN_DATA_DIR', lockPath });
    expect((refused as Error).message).toMatch(
      new RegExp(
        `^CAIRN_DATA_DIR: the embedded database in .*pglite takes one process at a time, and this process \\(pid ${process.pid}\\) has it open already\\. Close the database open there first\\.$`,
      ),
    );
    expect((refused as Error).message).not.toContain('\n');

    await first.close();
    expect(existsSync(lockPath)).toBe(false);
    const again = await PgliteDatabase.open(directory);
    await again.exec('select 1');
    await again.close();
    console.log(`data dir lock: a second open of a directory in use refused in ${refusedMs.toFixed(1)} ms`);
  });

  it('takes the lock of Store.open under dataDir, and keeps no lock for a database in memory', async () => {
    const store = await Store.open({ dataDir: root });
    try {
      expect(existsSync(join(root, 'pglite.lock'))).toBe(true);
      await expect(Store.open({ dataDir: root })).rejects.toMatchObject({ code: 'data_dir_in_use' });
      const inMemory = [await PgliteDatabase.open(undefined), await PgliteDatabase.open(undefined)];
      for (const other of inMemory) await other.close();
    } finally {
      await store.close();
    }
    expect(existsSync(join(root, 'pglite.lock'))).toBe(false);
    // Three databases opened, two of them created in memory (initdb in WebAssembly): 12 s alone, past 30 s beside other suites in CI.
  }, 120_000);

  it('refuses a directory another live process holds, naming it, and takes it over once that process is killed', async () => {
    const holder = await holdInAnotherProcess(directory);
    try {
      const refused = await PgliteDatabase.open(directory).catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: 'data_dir_in_use', holder: { pid: holder.pid } });
      expect((refused as Error).message).toContain(`it is open in another process: pid ${holder.pid} (node `);
      expect((refused as Error).message).toContain('hold-data-dir.ts');
      expect((refused as Error).message).toContain('set DATABASE_URL');

      holder.kill('SIGKILL');
      await new Promise((resolve) => holder.once('exit', resolve));
      expect(lockOf(lockPath).pid).toBe(holder.pid);
      const started = performance.now();
      const taken = await PgliteDatabase.open(directory);
      const takenMs = performance.now() - started;
      expect(lockOf(lockPath).pid).toBe(process.pid);
      await taken.exec('select 1');
      await taken.close();
      console.log(`data dir lock: after kill -9 of the holder, the next open took its lock over and opened in ${takenMs.toFixed(0)} ms`);
    } finally {
      holder.kill('SIGKILL');
    }
  }, 60_000);
});

describe('DataDirLock', () => {
  let root: string;
  let directory: string;
  let lockPath: string;
  const bootId = existsSync('/proc/sys/kernel/random/boot_id') ? readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() : undefined;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'cairn-lock-'));
    directory = join(root, 'pglite');
    lockPath = `${directory}.lock`;
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it.each([
    ['a process that has exited', async () => ({ pid: await deadPid() })],
    ['an earlier process given this pid (a restarted container)', async () => ({ startedAt: performance.timeOrigin - 60_000 })],
    [
      'a live process whose start is not the one recorded (its pid reused)',
      async () => ({ pid: process.ppid, startedAt: 1, bootId, startTicks: 1 }),
    ],
    ['another host, not renewed for longer than the lease', async () => ({ hostname: 'elsewhere.invalid', stale: true })],
  ])('takes over a lock left by %s', async (_name, holder) => {
    const { stale, ...overrides } = { stale: false, ...(await holder()) };
    writeLock(lockPath, overrides);
    if (stale) utimesSync(lockPath, new Date(Date.now() - lockLeaseMs - 5000), new Date(Date.now() - lockLeaseMs - 5000));
    const lock = DataDirLock.acquire(directory);
    expect(lockOf(lockPath)).toMatchObject({ pid: process.pid, hostname: hostname(), token: lock.holder.token });
    lock.release();
    expect(existsSync(lockPath)).toBe(false);
  });

  it('refuses a lock renewed on another host within the lease, naming the host', () => {
    writeLock(lockPath, { hostname: 'elsewhere.invalid', pid: 1 });
    expect(() => DataDirLock.acquire(directory)).toThrow(/pid 1 on host elsewhere\.invalid \(node apps\/api\/src\/main\.ts\)/);
    expect(lockOf(lockPath).token).toBe('planted');
  });

  it('refuses a lock file being written (unreadable and new), and takes over one left unreadable', () => {
    writeFileSync(lockPath, '');
    expect(() => DataDirLock.acquire(directory)).toThrow(DataDirInUseError);
    utimesSync(lockPath, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const lock = DataDirLock.acquire(directory);
    expect(lockOf(lockPath).pid).toBe(process.pid);
    lock.release();
  });

  it('leaves a lock file that is not its own when it is released', () => {
    const lock = DataDirLock.acquire(directory);
    writeLock(lockPath, { token: 'someone else' });
    lock.release();
    expect(lockOf(lockPath).token).toBe('someone else');
  });
});
