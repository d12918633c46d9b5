import { CairnError } from '@cairn/core';

const connectionErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  '57P01',
  '57P02',
  '57P03',
]);

/** True for errors that mean the server cannot be reached (as opposed to a bad statement). */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (connectionErrorCodes.has(code) || code.startsWith('08'))) return true;
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
