/** What a data directory's lock file says about the process that holds it (see DataDirLock). */
export interface LockHolder {
  pid: number;
  hostname: string;
  /** The holder's `performance.timeOrigin`: tells it from a later process given the same pid. */
  startedAt: number;
  /** On Linux, the boot and the holder's start in clock ticks after it (/proc): the same test, exact. */
  bootId?: string | undefined;
  startTicks?: number | undefined;
  /** The holder's command line, shortened, for the person it is in the way of. */
  command: string;
  acquiredAt: string;
  /** This taking of the lock, so that a process removes only its own lock file. */
  token: string;
}
