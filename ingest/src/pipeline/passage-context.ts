import { contentHash } from '@cairn/core';

/** A page as a passage-context writer sees it: its title and its outline. */
export interface PassageContextPage {
  title: string;
  /** The page's headings in reading order (its outline), the title left out. */
  headings: string[];
}

/** A passage to situate: its heading path (`Title › Section › Sub`) and its text. */
export interface PassageContextInput {
  heading: string;
  text: string;
}

/**
 * Writes, for passages of one page, one short sentence each that situates the passage in
 * its page ("This section of X explains … after …"): what ingestion embeds and indexes
 * with the passage beside its title, headings and byline (CAIRN_PASSAGE_CONTEXT=llm).
 * LlmPassageContextWriter of @cairn/answer is one (over the chat model).
 *
 * `describe` never throws for what the model does: a passage it could not situate (an
 * error, a timeout, an unusable reply) is null, and the result has one entry per passage,
 * in order.
 */
export interface PassageContextWriter {
  /** Who writes the sentences (the chat model's id): stored sentences are kept per model. */
  readonly model: string;
  describe(
    page: PassageContextPage,
    passages: readonly PassageContextInput[],
    options?: { signal?: AbortSignal | undefined },
  ): Promise<(string | null)[]>;
}

/**
 * What a passage's sentence is stored under: the hash of its page title, heading path and
 * text. Not the hash of what is embedded, which holds the sentence itself; so an unchanged
 * section of an edited page finds its sentence again.
 */
export function passageHash(title: string, heading: string, text: string): string {
  return contentHash(JSON.stringify(['passage-context', title, heading, text]));
}
