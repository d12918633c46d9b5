import type { StoredDocumentState, Store } from '@cairn/store';

/**
 * How a crawl reads the stored state of a page (the validators for a conditional GET) and
 * records a page the server calls unchanged (a 304: seen again now).
 */
export interface DocumentStates {
  find(locator: string): Promise<StoredDocumentState | undefined>;
  seenUnchanged(documentId: string): Promise<void>;
}

/** For a single page: each read and each write goes to the store at once. */
export function directStates(store: Store, sourceId: string): DocumentStates {
  return {
    find: (locator) => store.documents.findState(sourceId, locator),
    seenUnchanged: (documentId) => store.documents.touch(documentId, { etag: null, lastModified: null }),
  };
}

/**
 * For a whole crawl of a source: every state is read in one query at the start, and the
 * pages seen unchanged are recorded in batches (`flush`), not one statement a page. On a
 * re-crawl of an unchanged site those two statements a page were most of the database's
 * work. A state read at the start can be older than the store's when another run crawls
 * the same source meanwhile: a GET is then unconditional where it could have been
 * conditional (the content hash still finds the text unchanged), or conditional for a
 * page the other run has just tombstoned, whose 304 leaves it tombstoned (touchAll marks
 * only active documents) until the next crawl fetches it whole.
 */
export class BatchedStates implements DocumentStates {
  private unchanged: string[] = [];

  private constructor(
    private readonly store: Store,
    private readonly states: ReadonlyMap<string, StoredDocumentState>,
  ) {}

  static async load(store: Store, sourceId: string): Promise<BatchedStates> {
    return new BatchedStates(store, await store.documents.statesOfSource(sourceId));
  }

  async find(locator: string): Promise<StoredDocumentState | undefined> {
    return this.states.get(locator);
  }

  async seenUnchanged(documentId: string): Promise<void> {
    this.unchanged.push(documentId);
  }

  /** Writes the pages seen unchanged since the last flush (kept for the next one if the write fails). */
  async flush(): Promise<void> {
    const ids = this.unchanged;
    this.unchanged = [];
    try {
      await this.store.documents.touchAll(ids);
    } catch (error) {
      this.unchanged.unshift(...ids);
      throw error;
    }
  }
}
