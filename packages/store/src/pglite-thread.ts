import { Worker } from 'node:worker_threads';
import { CairnError, workerScript } from '@cairn/core';
import type { Queryable, TransactionProcedure } from './database.js';
import { deserializeError, type PgliteReply, type PgliteRequest, type PgliteWorkerData } from './pglite-protocol.js';

type WithoutId<R> = R extends unknown ? Omit<R, 'id'> : never;
type Request = WithoutId<PgliteRequest>;

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

/**
 * PGlite on a thread of its own (pglite-worker.ts). PGlite runs Postgres in WebAssembly on
 * the thread that calls it; in the API's thread every search and write would wait for
 * Postgres and hold up the requests in flight, and the server would use one core of two.
 * Here the API's thread sends each statement and goes on; Postgres, and the parsing of its
 * results, run beside it. Measured in docs/benchmarks.md.
 *
 * The thread keeps the process alive only while a statement is in flight, as an in-process
 * PGlite would. If it dies (a crash of the WebAssembly, out of memory), what was in flight
 * and everything after fails with `database_unavailable`.
 */
export class PgliteThread {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: PgliteReply) => this.answer(reply));
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => this.fail(new Error(`the database thread exited with code ${code}`)));
  }

  /** Starts the thread and opens the database in it (`dataDir`, or in memory), from `seed` if given. */
  static async open(dataDir: string | undefined, seed: Blob | undefined, sharedBuffers?: number): Promise<PgliteThread> {
    const { code, eval: evaluate } = workerScript(import.meta.url, 'pglite-worker');
    const data: PgliteWorkerData = { dataDir, seed: seed ? await seed.arrayBuffer() : undefined, sharedBuffers };
    const worker = new Worker(code, { eval: evaluate, workerData: data, transferList: data.seed ? [data.seed] : [] });
    await new Promise<void>((resolve, reject) => {
      const opened = (reply: PgliteReply) => {
        if (reply.id !== 0) return;
        settle();
        resolve();
      };
      const failed = (error: Error) => {
        settle();
        reject(error);
      };
      const exited = (code: number) => failed(new Error(`the database thread exited with code ${code} while opening`));
      const settle = () => {
        worker.off('message', opened).off('error', failed).off('exit', exited);
      };
      worker.on('message', opened).on('error', failed).on('exit', exited);
    }).catch(async (error: unknown) => {
      await worker.terminate();
      throw error;
    });
    worker.unref();
    return new PgliteThread(worker);
  }

  private send<T>(request: Request): Promise<T> {
    if (this.failure) return Promise.reject(this.unavailable());
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      if (this.pending.size === 1) this.worker.ref();
      try {
        this.worker.postMessage({ ...request, id });
      } catch (error) {
        // A value that cannot be cloned (a function among the parameters): nothing was sent.
        this.pending.delete(id);
        if (this.pending.size === 0) this.worker.unref();
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  private answer(reply: PgliteReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if ('error' in reply) pending.reject(deserializeError(reply.error));
    else pending.resolve(reply.result);
  }

  private unavailable(): CairnError {
    return new CairnError('database_unavailable', 'The embedded database stopped; restart the server.', { cause: this.failure });
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    for (const pending of this.pending.values()) pending.reject(this.unavailable());
    this.pending.clear();
  }

  query<Row>(sql: string, params: readonly unknown[] = [], transaction?: number): Promise<Row[]> {
    return this.send<Row[]>({ op: 'query', sql, params: [...params], transaction });
  }

  /** Runs `sql` as the named statement `name`, prepared once (see PglitePreparedStatements); not in a transaction. */
  queryPrepared<Row>(name: string, sql: string, params: readonly unknown[]): Promise<Row[]> {
    return this.send<Row[]>({ op: 'prepared', name, sql, params: [...params] });
  }

  async exec(sql: string, transaction?: number): Promise<void> {
    await this.send({ op: 'exec', sql, transaction });
  }

  /** Runs a procedure (by its name in transactionProcedures) in one transaction in the thread, in one exchange. */
  procedure<Args, Result>(procedure: TransactionProcedure<Args, Result>, args: Args): Promise<Result> {
    return this.send<Result>({ op: 'procedure', name: procedure.name, args });
  }

  /** Runs `work` in one transaction in the thread: committed when it resolves, rolled back when it throws. */
  async transaction<T>(work: (transaction: Queryable) => Promise<T>): Promise<T> {
    const number = await this.send<number>({ op: 'begin' });
    let result: T;
    try {
      result = await work({
        query: <Row>(sql: string, params: readonly unknown[] = []) => this.query<Row>(sql, params, number),
        exec: (sql: string) => this.exec(sql, number),
      });
    } catch (error) {
      await this.send({ op: 'end', transaction: number, commit: false }).catch(() => undefined);
      throw error;
    }
    await this.send({ op: 'end', transaction: number, commit: true });
    return result;
  }

  async dump(): Promise<Blob> {
    return new Blob([await this.send<ArrayBuffer>({ op: 'dump' })]);
  }

  /** Closes the database (a checkpoint, as PGlite's close does) and ends the thread. */
  async close(): Promise<void> {
    try {
      if (!this.failure) await this.send({ op: 'close' });
    } finally {
      this.failure ??= new Error('closed');
      await this.worker.terminate();
    }
  }
}
