import { open, readdir, realpath, stat } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RunCounts, Store } from '@cairn/store';
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

/** A directory's entry that is not read, and why (for the run's ledger). */
export interface UnreadEntry {
  path: string;
  reason: string;
}

/**
 * The files under `directory` (recursively) whose extension is one of `extensions`, sorted,
 * and the entries among them that are not read, each with why. A link to a file inside the
 * directory is read through the link, unless it is the same file as another one listed; a
 * link to a file outside it (a shared folder's link to this machine's keys would be stored
 * and served as a note), a broken link, a loop, a link to a directory (not walked: it may
 * lead back up the tree) and a pipe or device named like a note are reported, not dropped
 * silently.
 */
export async function listLocalFiles(
  directory: string,
  extensions: ReadonlySet<string>,
): Promise<{ files: string[]; unread: UnreadEntry[] }> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  const links: string[] = [];
  const unread: UnreadEntry[] = [];
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name);
    const named = extensions.has(extname(entry.name).toLowerCase());
    if (entry.isFile()) {
      if (named) files.push(path);
    } else if (entry.isSymbolicLink()) links.push(path);
    // A pipe, a socket or a device named like a note is never read (a pipe would wait for a writer for ever).
    else if (named && !entry.isDirectory()) unread.push({ path, reason: 'not a regular file (a pipe, a socket or a device): not read' });
  }
  if (links.length === 0) return { files: files.sort(), unread };
  const root = await realpath(directory);
  const real = new Map<string, string>();
  for (const file of files) real.set(await realpath(file).catch(() => file), file);
  for (const link of links.sort()) {
    const target = await stat(link).catch((error: NodeJS.ErrnoException) => error);
    if (target instanceof Error) {
      if (!extensions.has(extname(link).toLowerCase())) continue;
      const why =
        target.code === 'ELOOP'
          ? 'a loop of symbolic links'
          : target.code === 'ENOENT'
            ? 'a broken symbolic link'
            : `a symbolic link that cannot be followed (${target.code ?? target.message})`;
      unread.push({ path: link, reason: `${why}: not read` });
    } else if (target.isDirectory()) {
      unread.push({
        path: link,
        reason:
          'a symbolic link to a directory, which is not walked (it may lead back up the tree): link its files, or ingest it on its own',
      });
    } else if (target.isFile() && extensions.has(extname(link).toLowerCase())) {
      const resolved = await realpath(link);
      const same = real.get(resolved);
      const inside = resolved === root || resolved.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
      if (!inside) {
        // A folder shared or cloned from someone else may hold a link to a file of this machine's (a key, a
        // config): read, it would be stored and served to every user as a note.
        unread.push({
          path: link,
          reason: 'a symbolic link to a file outside the directory, which is not read: copy the file in, or ingest its own directory',
        });
      } else if (same !== undefined) {
        unread.push({
          path: link,
          reason: `a symbolic link to ${relative(directory, same).split('\\').join('/')}, read once under that name`,
        });
      } else {
        real.set(resolved, link);
        files.push(link);
      }
    }
  }
  return { files: files.sort(), unread };
}

/** The entries a directory run does not read (links, pipes), in its ledger as skipped, each with why. */
export async function recordUnread(store: Store, runId: string, unread: readonly UnreadEntry[]): Promise<void> {
  if (unread.length === 0) return;
  await store.runs.addItems(
    runId,
    unread.map(({ path, reason }) => ({
      url: pathToFileURL(path).toString(),
      httpStatus: null,
      outcome: 'skipped' as const,
      chunksAdded: 0,
      chunksRemoved: 0,
      embeddingTokens: 0,
      error: reason,
    })),
  );
}

/** A directory run's counts before it reads a file: every file and entry discovered, those not read skipped. */
export function listedCounts(files: readonly string[], unread: readonly UnreadEntry[]): RunCounts {
  const discovered = files.length + unread.length;
  return { discovered, fetched: 0, unchanged: 0, skipped: unread.length, failed: 0, chunksAdded: 0, chunksRemoved: 0 };
}
