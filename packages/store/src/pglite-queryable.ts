import type { Transaction } from '@electric-sql/pglite';
import type { Queryable } from './database.js';

/** A transaction of PGlite's as a Queryable. */
export function transactionQueryable(transaction: Transaction): Queryable {
  return {
    query: async <Row>(sql: string, params: readonly unknown[] = []) => (await transaction.query<Row>(sql, params as unknown[])).rows,
    exec: async (sql: string) => {
      await transaction.exec(sql);
    },
  };
}
