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

/** File-system errors that concern one file only: the run records it and reads the next. */
const oneFileErrors = new Set(['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'ELOOP', 'ENAMETOOLONG', 'EILSEQ', 'ENXIO']);

/**
 * Why a file of a directory source could not be read, when the error is the file's own (it
 * vanished during the run, it may not be read, its name is not valid UTF-8): `gone` when it is
 * no longer there, to be dropped like a deleted note. Undefined for an error that is the disk's
 * or the system's (EIO, EMFILE, ENOSPC…), which fails the run.
 */
export function unreadableFile(error: unknown, locator: string): { reason: string; gone: boolean } | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !oneFileErrors.has(code)) return undefined;
  // readdir gave the name as text: bytes that are not UTF-8 came back as U+FFFD, a name no file has.
  if (locator.includes('\uFFFD')) return { reason: 'its file name is not valid UTF-8: rename it to read it', gone: false };
  if (code === 'ENOENT') return { reason: 'the file disappeared during the run', gone: true };
  return { reason: `could not be read (${code})`, gone: false };
}
