import type { TransactionProcedure } from './database.js';
import { replaceDocument } from './documents-repository.js';

/**
 * The procedures PGlite's thread runs by name (see TransactionProcedure): each one that a
 * repository passes to runProcedure, so that the thread knows it.
 */
export const transactionProcedures: Readonly<Record<string, TransactionProcedure<never, unknown>>> = {
  [replaceDocument.name]: replaceDocument as TransactionProcedure<never, unknown>,
};
