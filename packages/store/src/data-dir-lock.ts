import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { linkSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { DataDirInUseError } from './data-dir-in-use-error.js';
import type { LockHolder } from './lock-holder.js';

/** How long a lock taken on another host lasts without renewal: the holder renews it every quarter of this. */
export const lockLeaseMs = 60_000;
/** A lock file that cannot be read is one being written for this long; after it, a leftover. */
const unreadableGraceMs = 5_000;

/** The boot id and a process's start (clock ticks after boot) from /proc, and whether it is a zombie; undefined off Linux. */
function linuxProcess(pid: number | 'self'): { bootId: string; startTicks: number; zombie: boolean } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command (in parentheses, which may hold spaces and parentheses): state is the 3rd, starttime the 22nd.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return { bootId, startTicks: Number(fields[19]), zombie: fields[0] === 'Z' };
  } catch {
    return undefined;
  }
}

/** When a process started (ms since the epoch, to the second) by `ps -o etime=`; undefined when ps cannot tell. */
function startedAtByPs(pid: number): number | undefined {
  try {
    const elapsed = execFileSync('ps', ['-o', 'etime=', '-p', String(pid)], { encoding: 'utf8', timeout: 2000, stdio: 'pipe' }).trim();
    const match = /^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+)$/.exec(elapsed);
    if (!match) return undefined;
    const [days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0));
    return Date.now() - (((days! * 24 + hours!) * 60 + minutes!) * 60 + seconds!) * 1000;
  } catch {
    return undefined;
  }
}

/** Whether a process with this pid exists (EPERM: it does, as another user's). */
function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the process a lock names is gone, so that its lock is stale: on this host, its pid
 * is free, a zombie, or now another process's (a start that differs from the recorded one);
 * on another host (a shared volume), it has not renewed the lock for `lockLeaseMs`. A live
 * holder that cannot be told from a newcomer counts as there: never two writers.
 */
function holderIsGone(holder: LockHolder, lockPath: string): boolean {
  if (holder.hostname !== hostname()) {
    try {
      return Date.now() - statSync(lockPath).mtimeMs > lockLeaseMs;
    } catch {
      return true;
    }
  }
  if (holder.pid === process.pid) return holder.startedAt !== performance.timeOrigin;
  if (!pidExists(holder.pid)) return true;
  const running = linuxProcess(holder.pid);
  if (running?.zombie) return true;
  if (running && holder.bootId !== undefined && holder.startTicks !== undefined) {
    return running.bootId !== holder.bootId || running.startTicks !== holder.startTicks;
  }
  const startedAt = startedAtByPs(holder.pid);
  return startedAt !== undefined && Math.abs(startedAt - holder.startedAt) > 3000;
}

type ReadLock = { state: 'absent' } | { state: 'unreadable'; ageMs: number } | { state: 'held'; holder: LockHolder };

function readLock(path: string): ReadLock {
  let text: string;
  let ageMs: number;
  try {
    ageMs = Date.now() - statSync(path).mtimeMs;
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'absent' };
    throw error;
  }
  try {
    const holder = JSON.parse(text) as LockHolder;
    if (Number.isInteger(holder.pid) && holder.pid > 0 && typeof holder.token === 'string' && typeof holder.hostname === 'string')
      return { state: 'held', holder };
  } catch {
    // not JSON: unreadable
  }
  return { state: 'unreadable', ageMs };
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // gone already
  }
}

/** Puts `content` at `path` only if nothing is there: by a hard link, so that the file appears whole. */
function createExclusive(path: string, content: string, token: string): boolean {
  const whole = `${path}.${token}.tmp`;
  writeFileSync(whole, content, { flag: 'wx' });
  try {
    linkSync(whole, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV'].includes(code ?? '')) throw error;
    // No hard links on this file system: O_EXCL (a reader may see it empty for a moment: unreadableGraceMs).
    try {
      writeFileSync(path, content, { flag: 'wx' });
      return true;
    } catch (fallbackError) {
      if ((fallbackError as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw fallbackError;
    }
  } finally {
    removeQuietly(whole);
  }
}

/**
 * Moves a stale lock out of the way. Two processes may find the same stale lock: it is
 * renamed aside first, and put back if what was moved is no longer the lock judged stale
 * (the other process took the lock in between).
 */
function takeOver(path: string, stale: LockHolder | undefined, token: string): void {
  const aside = `${path}.${token}.stale`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = readLock(aside);
  const same = stale ? moved.state === 'held' && moved.holder.token === stale.token : moved.state !== 'held';
  if (!same) {
    try {
      linkSync(aside, path);
    } catch {
      // a third process holds it now; the one moved has lost it either way
    }
  }
  removeQuietly(aside);
}

/** This process's command line, short and on one line. */
function commandLine(): string {
  const line = [basename(process.argv0 || process.execPath), ...process.argv.slice(1)].join(' ').replace(/\s+/g, ' ');
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}

/**
 * One process's hold on a database directory: a lock file beside it (`<directory>.lock`)
 * naming the process (pid, host, start, command). Taken with the directory, it keeps a
 * second process out (DataDirInUseError) instead of letting both write the same files; a
 * lock whose holder is gone (`kill -9`) is taken over at the next start.
 */
export class DataDirLock {
  private readonly renewal: NodeJS.Timeout;
  private readonly releaseAtExit = () => this.release();
  private released = false;

  private constructor(
    readonly path: string,
    readonly holder: LockHolder,
  ) {
    // Renewed for the hosts that cannot see this process (a volume shared between machines or containers).
    this.renewal = setInterval(() => {
      try {
        const now = new Date();
        utimesSync(path, now, now);
      } catch {
        // the next renewal tries again
      }
    }, lockLeaseMs / 4);
    this.renewal.unref();
    process.once('exit', this.releaseAtExit);
  }

  /** Takes the lock of `directory` (an absolute, resolved path), or throws DataDirInUseError naming its holder. */
  static acquire(directory: string): DataDirLock {
    const path = `${directory}.lock`;
    const linux = linuxProcess('self');
    const holder: LockHolder = {
      pid: process.pid,
      hostname: hostname(),
      startedAt: performance.timeOrigin,
      bootId: linux?.bootId,
      startTicks: linux?.startTicks,
      command: commandLine(),
      acquiredAt: new Date().toISOString(),
      token: randomUUID(),
    };
    const content = `${JSON.stringify(holder)}\n`;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      if (createExclusive(path, content, holder.token)) return new DataDirLock(path, holder);
      const current = readLock(path);
      if (current.state === 'absent') continue;
      if (current.state === 'unreadable' && current.ageMs < unreadableGraceMs) {
        throw new DataDirInUseError({ directory, lockPath: path, holder: undefined, thisHost: holder.hostname });
      }
      if (current.state === 'held' && !holderIsGone(current.holder, path)) {
        throw new DataDirInUseError({
          directory,
          lockPath: path,
          holder: current.holder,
          thisHost: holder.hostname,
          thisProcess: current.holder.pid === process.pid,
        });
      }
      takeOver(path, current.state === 'held' ? current.holder : undefined, holder.token);
    }
    throw new DataDirInUseError({ directory, lockPath: path, holder: undefined, thisHost: holder.hostname });
  }

  /** Removes the lock file, if it is still this lock's. */
  release(): void {
    if (this.released) return;
    this.released = true;
    clearInterval(this.renewal);
    process.removeListener('exit', this.releaseAtExit);
    try {
      const current = readLock(this.path);
      if (current.state === 'held' && current.holder.token === this.holder.token) removeQuietly(this.path);
    } catch {
      // unreadable now: it is left for the next process to judge
    }
  }
}
