import type { Transaction } from '@electric-sql/pglite';
import type { Queryable, QueryOptions } from './database.js';
import type { PglitePreparedStatements } from './pglite-prepared.js';

/**
 * A transaction of PGlite's as a Queryable. With `prepared`, its statements with parameters
 * run as named statements of the connection (PglitePreparedStatements.queryInTransaction):
 * for procedures, whose few statements come again for every page; a statement whose text
 * changes with its input says `{ prepared: false }`.
 */
export function transactionQueryable(transaction: Transaction, prepared?: PglitePreparedStatements): Queryable {
  return {
    query: async <Row>(sql: string, params: readonly unknown[] = [], options?: QueryOptions) =>
      prepared && params.length > 0 && options?.prepared !== false
        ? prepared.queryInTransaction<Row>(sql, params)
        : (await transaction.query<Row>(sql, params as unknown[])).rows,
    exec: async (sql: string) => {
      await transaction.exec(sql);
    },
  };
}
