import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { extractArticle } from '../extract/extract-article.js';
import { ExtractionError } from '../extract/extraction-error.js';
import { parseDiscoveryDocument } from './discover-urls.js';

/**
 * The thread ExtractionPool runs its page readers in: parsing a big page or sitemap takes
 * hundreds of milliseconds, which here hold up no one. Answers each request with the
 * result, the reason a page holds no article (and its links), or the error it threw.
 */
const port = parentPort;
if (!port) throw new Error('extraction-worker.ts runs as a worker thread of ExtractionPool');

try {
  // On Linux the nice value is the thread's own: reading pages yields the CPU to the event
  // loop (the API's requests, the crawl's fetches) rather than competing with it.
  setPriority(10);
} catch {
  // Not permitted here: the thread runs at the process's priority.
}

port.on('message', (request: { id: number; kind: 'article' | 'discovery'; body: string; url: string }) => {
  try {
    const result =
      request.kind === 'article' ? extractArticle(request.body, request.url) : parseDiscoveryDocument(request.body, request.url);
    port.postMessage({ id: request.id, result });
  } catch (error) {
    if (error instanceof ExtractionError) {
      port.postMessage({ id: request.id, unparseable: { reason: error.reason, links: error.links } });
    } else {
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      port.postMessage({ id: request.id, failure: { name, message } });
    }
  }
});
port.postMessage({ ready: true });
