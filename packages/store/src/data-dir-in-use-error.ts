import { ConfigError, errorCodes } from '@cairn/core';
import type { LockHolder } from './lock-holder.js';

/** When the lock was taken, as the holder's host would print it (UTC, to the second). */
function since(holder: LockHolder): string {
  return holder.acquiredAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** Who holds the lock, in words: its pid and command, and its host when it is not this one. */
function holderInWords(holder: LockHolder, thisHost: string, thisProcess: boolean): string {
  if (thisProcess) return `this process (pid ${holder.pid}) has it open already`;
  const host = holder.hostname === thisHost ? '' : ` on host ${holder.hostname}`;
  return `it is open in another process: pid ${holder.pid}${host} (${holder.command}), since ${since(holder)}`;
}

/**
 * Raised when the embedded database's directory is open in another process (PGlite is one
 * process's database: a second one writing the same files loses its writes). A setup
 * problem, so a ConfigError (one line, exit status 2) that names CAIRN_DATA_DIR, under a
 * code of its own; the message names the holder and what to do.
 */
export class DataDirInUseError extends ConfigError {
  override readonly code = 'data_dir_in_use' as const;
  override readonly statusCode = errorCodes.data_dir_in_use.status;
  /** The lock file, to delete by hand only when its holder is known to be gone. */
  readonly lockPath: string;
  /** What the lock file says of its holder; undefined when it cannot be read. */
  readonly holder: LockHolder | undefined;

  constructor(options: { directory: string; lockPath: string; holder: LockHolder | undefined; thisHost: string; thisProcess?: boolean }) {
    const { directory, lockPath, holder, thisHost, thisProcess = false } = options;
    const who = holder
      ? holderInWords(holder, thisHost, thisProcess)
      : `its lock ${lockPath} was taken a moment ago and cannot be read yet`;
    const elsewhere =
      holder && holder.hostname !== thisHost ? ` (if that host's process is gone, the lock lapses a minute after it last renewed it)` : '';
    super(
      'CAIRN_DATA_DIR',
      `the embedded database in ${directory} takes one process at a time, and ${who}${elsewhere}. ` +
        (thisProcess
          ? 'Close the database open there first.'
          : 'Stop that process, send your requests to its API (POST /v1/ask) instead, or set DATABASE_URL to a server Postgres that both can use.'),
    );
    this.name = 'DataDirInUseError';
    this.lockPath = lockPath;
    this.holder = holder;
  }
}
