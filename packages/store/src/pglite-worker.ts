import { parentPort, workerData } from 'node:worker_threads';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { openPglite } from './pglite-options.js';
import { PglitePreparedStatements } from './pglite-prepared.js';
import { transactionQueryable } from './pglite-queryable.js';
import { serializeError, type PgliteReply, type PgliteRequest, type PgliteWorkerData } from './pglite-protocol.js';
import { transactionProcedures } from './procedures.js';

/**
 * The embedded database's own thread (see PgliteThread): PGlite runs here, so that Postgres
 * in WebAssembly and the parsing of its results use a core of their own while the API's
 * thread serves requests. Requests arrive in order; PGlite queues them on its one
 * connection, and a transaction holds that connection until the other side ends it.
 */
const port = parentPort!;
const { dataDir, seed, sharedBuffers } = workerData as PgliteWorkerData;
const client = await openPglite(dataDir, seed ? new Blob([seed]) : undefined, sharedBuffers);
const prepared = new PglitePreparedStatements(client);

interface OpenTransaction {
  open: Transaction;
  /** Ends it: commit, or roll back. */
  end(commit: boolean): void;
  /** Settles once it has ended: undefined when committed or rolled back as asked, else why it failed. */
  done: Promise<unknown>;
}

const transactions = new Map<number, OpenTransaction>();
/** Thrown inside a transaction to roll it back at the other side's request. */
const rollback = Symbol('rollback');
let nextTransaction = 1;

function reply(message: PgliteReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

function queryable(transaction: number | undefined): PGlite | Transaction {
  if (transaction === undefined) return client;
  const open = transactions.get(transaction);
  if (!open) throw new Error(`transaction ${transaction} is not open`);
  return open.open;
}

/** Opens a transaction and answers with its number once inside it; it holds PGlite's connection until `end`. */
function begin(id: number): void {
  const number = nextTransaction++;
  let started = false;
  let finish!: (error: unknown) => void;
  const done = new Promise<unknown>((resolve) => (finish = resolve));
  client
    .transaction(async (open) => {
      started = true;
      const commit = await new Promise<boolean>((end) => {
        transactions.set(number, { open, end, done });
        reply({ id, result: number });
      });
      if (!commit) throw rollback;
    })
    .then(
      () => finish(undefined),
      (error: unknown) => {
        if (!started) reply({ id, error: serializeError(error) });
        finish(error === rollback ? undefined : error);
      },
    )
    .finally(() => transactions.delete(number));
}

async function handle(request: PgliteRequest): Promise<void> {
  const { id } = request;
  try {
    switch (request.op) {
      case 'query': {
        const result = await queryable(request.transaction).query(request.sql, request.params);
        reply({ id, result: result.rows });
        return;
      }
      case 'prepared':
        reply({ id, result: await prepared.query(request.name, request.sql, request.params) });
        return;
      case 'exec':
        await queryable(request.transaction).exec(request.sql);
        reply({ id, result: null });
        return;
      case 'procedure': {
        const procedure = Object.hasOwn(transactionProcedures, request.name) ? transactionProcedures[request.name] : undefined;
        if (!procedure) throw new Error(`no procedure ${JSON.stringify(request.name)} in transactionProcedures`);
        reply({
          id,
          result: await client.transaction((transaction) =>
            procedure.run(transactionQueryable(transaction, prepared), request.args as never),
          ),
        });
        return;
      }
      case 'begin':
        begin(id);
        return;
      case 'end': {
        const open = transactions.get(request.transaction);
        if (!open) throw new Error(`transaction ${request.transaction} is not open`);
        open.end(request.commit);
        const error = await open.done;
        reply(error === undefined ? { id, result: null } : { id, error: serializeError(error) });
        return;
      }
      case 'dump': {
        await client.exec('checkpoint');
        const dump = await (await client.dumpDataDir('gzip')).arrayBuffer();
        reply({ id, result: dump }, [dump]);
        return;
      }
      case 'close':
        if (!client.closed) await client.close();
        reply({ id, result: null });
        return;
    }
  } catch (error) {
    reply({ id, error: serializeError(error) });
  }
}

port.on('message', (request: PgliteRequest) => void handle(request));
reply({ id: 0, result: 'ready' });
