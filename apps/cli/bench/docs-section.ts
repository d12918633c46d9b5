import { readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

/** docs/benchmarks.md, which every bench writes its own section of. */
export const benchmarksPath = fileURLToPath(new URL('../../../docs/benchmarks.md', import.meta.url));

export function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/**
 * Puts a bench's section into the file between `<!-- name: start -->` and `<!-- name: end -->`:
 * in place of its previous section when there is one, else at the end. Everything else in
 * the file (the written analyses, the other benches' sections) stays as it is.
 */
export async function writeSection(path: string, name: string, section: string): Promise<void> {
  const startMarker = `<!-- ${name}: start -->`;
  const endMarker = `<!-- ${name}: end -->`;
  const current = await readFile(path, 'utf8').catch(() => '# Benchmarks\n');
  const block = `${startMarker}\n${section.trim()}\n${endMarker}`;
  const start = current.indexOf(startMarker);
  const end = current.indexOf(endMarker);
  const next =
    start >= 0 && end > start
      ? current.slice(0, start) + block + current.slice(end + endMarker.length)
      : `${current.trimEnd()}\n\n${block}\n`;
  await writeFile(path, next);
}
