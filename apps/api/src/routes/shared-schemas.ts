import { Type } from 'typebox';
import { maxQuestionChars } from '@cairn/answer';
import { maxQueryChars } from '@cairn/core';

/** Documented limits of the public interface. */
export const limits = {
  questionChars: maxQuestionChars,
  queryChars: maxQueryChars,
  maxSearchK: 50,
  maxAskK: 20,
  bodyBytes: 256 * 1024,
} as const;

export const nullableString = Type.Union([Type.String(), Type.Null()]);

export const ErrorResponse = Type.Object(
  { error: Type.Object({ code: Type.String(), message: Type.String() }) },
  { $id: 'ErrorResponse', description: 'Every error: a stable code (see docs/errors.md) and a message that says what to do.' },
);

/** Standard error responses, for the OpenAPI document. */
export const errorResponses = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  408: ErrorResponse,
  409: ErrorResponse,
  413: ErrorResponse,
  415: ErrorResponse,
  429: ErrorResponse,
  500: ErrorResponse,
  503: ErrorResponse,
} as const;

/** A numbered citation of an answer, as answers, conversations, feedback and chat completions show it. */
export const CitationSchema = Type.Object({
  n: Type.Integer(),
  url: Type.String(),
  title: Type.String(),
  author: nullableString,
  source: Type.String(),
  heading: Type.String(),
  quote: Type.String({ description: 'A verbatim span of the cited passage' }),
  chunkId: Type.String(),
  kind: Type.Union([Type.Literal('article'), Type.Literal('note')], {
    description: 'note: one of our notes; url links the original it summarises',
  }),
  publishedAt: nullableString,
  fetchedAt: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'When the cited page was last crawled' })),
});
