import { open } from 'node:fs/promises';
import { defaultFetchPolicy } from '../crawl/fetch-page.js';

/** The most a note or a static site's file may hold: the same bound as a fetched page's body. */
export const maxLocalFileBytes = defaultFetchPolicy.maxBytes;

/**
 * A file of a directory source as text, or `undefined` when it is larger than `maxBytes`: a
 * 30 MB note took 1.8 GB to chunk and embed, where a web page that size is refused. The size
 * is read from the open file, so a file that grows between a check and the read is still cut.
 */
export async function readLocalFile(path: string, maxBytes = maxLocalFileBytes): Promise<string | undefined> {
  const handle = await open(path, 'r');
  try {
    if ((await handle.stat()).size > maxBytes) return undefined;
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) return undefined;
    }
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    await handle.close();
  }
}
