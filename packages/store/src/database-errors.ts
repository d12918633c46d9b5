import { CairnError } from '@cairn/core';

const connectionErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  // The database itself is gone: dropped, renamed, or a failover to a server without it.
  '3D000',
]);

/**
 * SQLSTATE classes that mean the server will not serve this connection now, whatever the
 * statement: 08 connection exceptions, 28 a login refused (a rotated password, pg_hba), 53
 * insufficient resources (too many connections, out of memory or disk) and 57P operator
 * intervention (shutdowns, a database dropped, an idle session ended).
 */
const unavailableClasses = /^(?:08|28|53|57P)/;

/** True for errors that mean the server cannot be reached (as opposed to a bad statement). */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (connectionErrorCodes.has(code) || unavailableClasses.test(code))) return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    error.message,
  );
}

/** Turns a lost connection into a `database_unavailable` error; leaves other errors as they are. */
export function translateDatabaseError(error: unknown): unknown {
  if (isConnectionError(error)) {
    return new CairnError('database_unavailable', 'The database cannot be reached; retry in a few seconds.', { cause: error });
  }
  return error;
}
