import { sparseEmbedding, type EmbeddingVector } from '@cairn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteDatabase, type Database } from '../src/index.js';
import { embeddingToBinary, embeddingToSql } from '../src/embedding-to-sql.js';
import { runtimes } from './runtimes.js';

/**
 * Vectors sent in pgvector's binary form (embeddingToBinary, as insertVectors sends them) are
 * stored as the same vectors as their text form: on server Postgres (node-postgres sends a
 * byte array in binary), on PGlite in its own thread and in the calling thread
 * (sendVectorsInBinary), through a plain statement and a prepared one.
 */
const vectors: [string, EmbeddingVector][] = [
  ['dense', [0.1, -2.5, 0, 3.4028234663852886e38, 1e-45]],
  [
    'sparse',
    sparseEmbedding(16_777_316, [
      [16_777_315, 0.3],
      [0, -0.1],
      [99, 1e-7],
      [12_345, 0.123456789],
    ]),
  ],
  ['empty sparse', sparseEmbedding(8, [])],
];

const databases: { name: string; open(): Promise<{ database: Database; close(): Promise<void> }> }[] = [
  ...runtimes.map((runtime) => ({
    name: runtime.name,
    async open() {
      const { store, close } = await runtime.open();
      return { database: store.database, close };
    },
  })),
  {
    name: 'pglite in the calling thread',
    async open() {
      const database = await PgliteDatabase.open(undefined, { thread: false });
      return { database, close: () => database.close() };
    },
  },
];

describe.each(databases)('vectors in binary ($name)', ({ open }) => {
  let database: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ database, close } = await open());
  });
  afterAll(() => close());

  it.each(vectors)('reads a %s vector sent in binary as the one sent as text', async (_name, vector) => {
    const type = Array.isArray(vector) ? 'vector' : 'sparsevec';
    const sql = `select $1::${type}::text as binary, $2::${type}::text as text`;
    const [plain] = await database.query<{ binary: string; text: string }>(sql, [embeddingToBinary(vector), embeddingToSql(vector)]);
    expect(plain!.binary).toBe(plain!.text);
    const [prepared] = await database.query<{ binary: string; text: string }>(sql, [embeddingToBinary(vector), embeddingToSql(vector)], {
      prepared: true,
    });
    expect(prepared).toEqual(plain);
  });

  it('refuses a malformed binary vector with the database error, not a wrong vector', async () => {
    const bytes = embeddingToBinary(
      sparseEmbedding(8, [
        [1, 0.5],
        [2, 0.25],
      ]),
    );
    new DataView(bytes.buffer).setInt32(16, 1); // indices 1, 1: a duplicate
    await expect(database.query('select $1::sparsevec::text', [bytes])).rejects.toThrow(/sparsevec indices must not contain duplicates/);
  });
});
