/** The most clarifying questions an answer may carry. */
export const maxClarifyingQuestions = 2;

export interface ParsedTrailer {
  /** The answer without its trailer (and the blank lines before it). */
  text: string;
  /** The questions the trailer listed (at most two), or null when the answer had no usable trailer. */
  clarifyingQuestions: string[] | null;
}

/** A fenced block, or a bare object on its own lines at the end, that names `clarifyingQuestions`. */
const fencedTrailer = /\n?[ \t]*```[ \t]*(?:json|JSON)?[ \t]*\n?\s*(\{[\s\S]*?"clarifyingQuestions"[\s\S]*?\})\s*\n?[ \t]*```[ \t]*$/;
const bareTrailer = /(?:^|\n)[ \t]*(\{\s*"clarifyingQuestions"\s*:[\s\S]*\})\s*$/;
/** A fence opened for the trailer but never closed (the model stopped early). */
const unclosedTrailer = /\n?[ \t]*```[ \t]*(?:json|JSON)?[ \t]*\n?\s*(\{\s*"clarifyingQuestions"[\s\S]*)$/;

function questionsFrom(json: string): string[] | null {
  let values: unknown;
  try {
    values = (JSON.parse(json) as { clarifyingQuestions?: unknown }).clarifyingQuestions;
  } catch {
    // Salvage the quoted strings of a list the model did not close.
    const list = /"clarifyingQuestions"\s*:\s*\[([\s\S]*)/.exec(json)?.[1] ?? '';
    values = [...list.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((match) => match[1]!.replace(/\\(.)/g, '$1'));
  }
  if (!Array.isArray(values)) return null;
  const questions: string[] = [];
  for (const value of values) {
    if (typeof value !== 'string') continue;
    const question = value.replace(/\s+/g, ' ').trim();
    if (question && !questions.includes(question)) questions.push(question);
  }
  return questions.slice(0, maxClarifyingQuestions);
}

/**
 * Takes the structured trailer off a chat model's answer: a fenced JSON block
 * (```json {"clarifyingQuestions": [...]} ```) at the end, a bare object on its last lines,
 * or a fence left unclosed. Returns the answer without it and the questions it listed (at
 * most two), or the answer unchanged and null when there is none.
 */
export function parseClarifyingTrailer(answer: string): ParsedTrailer {
  for (const pattern of [fencedTrailer, bareTrailer, unclosedTrailer]) {
    const match = pattern.exec(answer);
    if (!match) continue;
    return { text: answer.slice(0, match.index).replace(/\s+$/, ''), clarifyingQuestions: questionsFrom(match[1]!) };
  }
  return { text: answer, clarifyingQuestions: null };
}

/**
 * Where a trailer starts, or may be starting, in an answer still being streamed, so that a
 * streaming client can hold that part back: the index of a final fence (or part of one)
 * that opens, or could open, the trailer; -1 when the text so far has none.
 */
export function clarifyingTrailerStart(streamed: string): number {
  const fence = streamed.lastIndexOf('```');
  if (fence >= 0) {
    const after = streamed
      .slice(fence + 3)
      .replace(/\s+/g, '')
      .toLowerCase();
    const opening = 'json{"clarifyingquestions"';
    const bare = '{"clarifyingquestions"';
    if (opening.startsWith(after) || bare.startsWith(after) || after.startsWith(opening) || after.startsWith(bare)) {
      return streamed.lastIndexOf('\n', fence) >= 0 && /^\s*$/.test(streamed.slice(streamed.lastIndexOf('\n', fence) + 1, fence))
        ? streamed.lastIndexOf('\n', fence)
        : fence;
    }
  }
  // A fence being typed: one or two backticks at the very end of a line.
  const partial = /(?:^|\n)[ \t]*`{1,2}$/.exec(streamed);
  if (partial) return partial.index;
  // A bare object starting on its own line.
  const brace = Math.max(streamed.lastIndexOf('\n{'), streamed.startsWith('{') ? 0 : -1);
  if (brace >= 0) {
    const rest = streamed.slice(brace).replace(/\s+/g, '').toLowerCase();
    const bareOpening = '{"clarifyingquestions"';
    if (bareOpening.startsWith(rest) || rest.startsWith(bareOpening)) return brace;
  }
  return -1;
}
