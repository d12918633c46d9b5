import { createHash } from 'node:crypto';

/** Hex SHA-256 of a text: the content hash of documents and chunks. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
