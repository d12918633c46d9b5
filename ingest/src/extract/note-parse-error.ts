import { CairnError } from '@cairn/core';

/**
 * A note of a directory source cannot be read as a document (code `note_unparseable`): no
 * title, no text, front matter that is not a mapping, a `url` that is not a URL. The
 * directory's other notes are still ingested; this one is recorded as failed.
 */
export class NoteParseError extends CairnError {
  /** The note's path within its directory. */
  readonly locator: string;
  /** What is wrong with it, e.g. "has no text". */
  readonly reason: string;

  constructor(locator: string, reason: string) {
    super('note_unparseable', `${locator}: ${reason}`, { details: { locator, reason } });
    this.name = 'NoteParseError';
    this.locator = locator;
    this.reason = reason;
  }
}
