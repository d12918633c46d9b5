import { Worker } from 'node:worker_threads';
import { workerScript } from '@cairn/core';
import { extractArticle, type ExtractedPage } from '../extract/extract-article.js';
import { ExtractionError } from '../extract/extraction-error.js';
import { parseDiscoveryDocument, type DiscoveryDocument } from './discover-urls.js';

/**
 * How a crawl reads what it fetched: extractArticle's and parseDiscoveryDocument's
 * contracts, asynchronously, so that they can run off the event loop (ExtractionPool).
 */
export interface PageReader {
  readArticle(html: string, pageUrl: string): Promise<ExtractedPage>;
  readDiscovery(xml: string, url: string): Promise<DiscoveryDocument | undefined>;
}

/** Both readers on the calling thread: for tests and one-off tools, where no event loop serves anyone. */
export const inThreadReader: PageReader = {
  readArticle: async (html, pageUrl) => extractArticle(html, pageUrl),
  readDiscovery: async (xml, url) => parseDiscoveryDocument(xml, url),
};

export interface ExtractionPoolOptions {
  /** One page's extraction may take this long; past it the thread is ended and the page is unparseable (default 30 s). */
  timeoutMs?: number;
  /** Heap of the extraction thread: a page that needs more is unparseable, and the process lives on (default 512 MiB). */
  maxHeapMb?: number;
}

interface Task {
  id: number;
  kind: 'article' | 'discovery';
  body: string;
  url: string;
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
  timer?: NodeJS.Timeout;
  timedOut?: boolean;
}

type Answer =
  | { ready: true }
  | { id: number; result: unknown }
  | { id: number; unparseable: { reason: string; links: string[] } }
  | { id: number; failure: { name: string; message: string } };

/**
 * Runs extractArticle and parseDiscoveryDocument in a worker thread, one document at a
 * time, so that a crawl's biggest CPU cost (parsing and reading a page: 0.1 to 1.5 s for
 * pages of 160 KiB to 3 MiB) never holds the event loop of the process it runs in (the
 * API's, with an in-process runner).
 * The thread starts on first use and holds the process open only while it has work. A
 * page that takes longer than `timeoutMs` or needs more than `maxHeapMb` ends the thread
 * (the next page starts another) and is unparseable (ExtractionError); a thread that
 * cannot start fails every page waiting, with its error.
 */
export class ExtractionPool implements PageReader {
  private worker: Worker | undefined;
  private ready = false;
  private readonly waiting: Task[] = [];
  private current: Task | undefined;
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: ExtractionPoolOptions = {}) {}

  /** extractArticle in the pool's thread: resolves with the page, rejects with ExtractionError or the error it threw. */
  readArticle(html: string, pageUrl: string): Promise<ExtractedPage> {
    return this.run('article', html, pageUrl) as Promise<ExtractedPage>;
  }

  /** parseDiscoveryDocument in the pool's thread. */
  readDiscovery(xml: string, url: string): Promise<DiscoveryDocument | undefined> {
    return this.run('discovery', xml, url) as Promise<DiscoveryDocument | undefined>;
  }

  private run(kind: Task['kind'], body: string, url: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new Error('the extraction pool is closed'));
        return;
      }
      this.waiting.push({ id: this.nextId++, kind, body, url, resolve, reject });
      this.pump();
    });
  }

  /** Ends the thread; pages waiting are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    const error = new Error('the extraction pool is closed');
    for (const task of [...(this.current ? [this.current] : []), ...this.waiting.splice(0)]) this.settle(task, () => task.reject(error));
    this.current = undefined;
    await worker?.terminate();
  }

  private pump(): void {
    if (this.current || this.waiting.length === 0 || this.closed) return;
    const worker = this.worker ?? this.spawn();
    const task = this.waiting.shift()!;
    this.current = task;
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    task.timer = setTimeout(() => {
      task.timedOut = true;
      void worker.terminate();
    }, timeoutMs);
    worker.ref();
    worker.postMessage({ id: task.id, kind: task.kind, body: task.body, url: task.url });
  }

  private spawn(): Worker {
    const { code, eval: evaluate } = workerScript(import.meta.url, 'extraction-worker');
    const worker = new Worker(code, { eval: evaluate, resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb ?? 512 } });
    this.worker = worker;
    this.ready = false;
    worker.on('message', (answer: Answer) => this.answer(worker, answer));
    worker.on('error', (error) => this.stopped(worker, error));
    worker.on('exit', (code) => this.stopped(worker, new Error(`the extraction thread exited with code ${code}`)));
    return worker;
  }

  private answer(worker: Worker, answer: Answer): void {
    if ('ready' in answer) {
      this.ready = true;
      return;
    }
    const task = this.current;
    if (worker !== this.worker || !task || task.id !== answer.id) return;
    this.current = undefined;
    worker.unref();
    if ('result' in answer) this.settle(task, () => task.resolve(answer.result));
    else if ('unparseable' in answer)
      this.settle(task, () => task.reject(new ExtractionError(task.url, answer.unparseable.reason, { links: answer.unparseable.links })));
    else this.settle(task, () => task.reject(Object.assign(new Error(answer.failure.message), { name: answer.failure.name })));
    this.pump();
  }

  /** The thread ended (timeout, out of memory, a crash) or could not start. */
  private stopped(worker: Worker, error: Error): void {
    if (worker !== this.worker) return;
    this.worker = undefined;
    const started = this.ready;
    const task = this.current;
    this.current = undefined;
    if (task) {
      const reason = task.timedOut
        ? `reading the page took longer than ${this.options.timeoutMs ?? 30_000} ms`
        : `the extractor stopped on the page (${error.message})`;
      this.settle(task, () => task.reject(started || task.timedOut ? new ExtractionError(task.url, reason) : error));
    }
    if (!started && !task?.timedOut) {
      // The thread could not start: every page would fail the same way.
      for (const waiting of this.waiting.splice(0)) this.settle(waiting, () => waiting.reject(error));
      return;
    }
    this.pump();
  }

  private settle(task: Task, settle: () => void): void {
    clearTimeout(task.timer);
    settle();
  }
}
