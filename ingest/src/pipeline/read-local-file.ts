import { open } from 'node:fs/promises';
import { defaultFetchPolicy } from '../crawl/fetch-page.js';

/** The most a note or a static site's file may hold: the same bound as a fetched page's body. */
export const maxLocalFileBytes = defaultFetchPolicy.maxBytes;

/**
 * A file of a directory source as text, or `undefined` when it is larger than `maxBytes`: a
 * 30 MB note took 1.8 GB to chunk and embed, where a web page that size is refused. The size
 * is read from the open file and the buffer sized by it, and a file that grows past the limit
 * between the check and the read is still cut.
 */
export async function readLocalFile(path: string, maxBytes = maxLocalFileBytes): Promise<string | undefined> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    if (size > maxBytes) return undefined;
    // One byte more than the file holds: a read that fills it means the file grew.
    let buffer = Buffer.allocUnsafe(size + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) return undefined;
        const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxBytes + 1));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return length > maxBytes ? undefined : buffer.subarray(0, length).toString('utf8');
  } finally {
    await handle.close();
  }
}
