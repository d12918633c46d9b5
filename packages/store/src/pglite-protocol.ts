/** What the embedded database's thread (pglite-worker.ts) and its client (PgliteThread) say to each other. */

export interface PgliteWorkerData {
  /** PGlite's directory; undefined keeps the database in memory. */
  dataDir: string | undefined;
  /** A gzipped dump a new directory starts from (PGlite's loadDataDir). */
  seed: ArrayBuffer | undefined;
  /** The buffer pool in MB; default pgliteSharedBuffers of the directory's data. */
  sharedBuffers?: number | undefined;
}

export type PgliteRequest =
  | { id: number; op: 'query'; sql: string; params: unknown[]; transaction?: number | undefined }
  | { id: number; op: 'prepared'; name: string; sql: string; params: unknown[] }
  | { id: number; op: 'exec'; sql: string; transaction?: number | undefined }
  | { id: number; op: 'procedure'; name: string; args: unknown }
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; transaction: number; commit: boolean }
  | { id: number; op: 'dump' }
  | { id: number; op: 'close' };

/** An error as it crosses the thread: its message, name and Postgres fields (code, detail, constraint, ...). */
export interface SerializedError {
  message: string;
  name: string;
  fields: Record<string, string | number | boolean>;
}

/** The answer to request `id`; id 0 says the thread has opened the database. */
export type PgliteReply = { id: number; result: unknown } | { id: number; error: SerializedError };

/**
 * Structured cloning keeps an error's message but not the fields that callers read
 * (`code` '23505' for a unique violation, `constraint`, ...): they travel as plain values.
 */
export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { message: String(error), name: 'Error', fields: {} };
  const fields: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
  }
  return { message: error.message, name: error.name, fields };
}

export function deserializeError(error: SerializedError): Error {
  return Object.assign(new Error(error.message), error.fields, { name: error.name });
}
