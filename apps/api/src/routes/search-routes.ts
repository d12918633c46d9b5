import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { validSearchQuery } from '@cairn/core';
import { SearchBody, SearchResponse } from './search-schemas.js';
import { errorResponses, limits } from './shared-schemas.js';
import { timedOut } from './event-stream.js';

export const searchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/search',
    {
      schema: {
        tags: ['retrieval'],
        summary: 'Hybrid search over the passages, with the rank of each result at each stage (dense, keyword, page, fused, reranked)',
        body: SearchBody,
        response: { 200: SearchResponse, ...errorResponses },
      },
    },
    async (request) => {
      const query = validSearchQuery(request.body.query, limits.queryChars);
      const mode = request.body.mode ?? app.cairn.retriever.mode;
      const { results, timings } = await app.cairn.retriever
        .retrieve(query, { k: request.body.k ?? 10, filters: request.body.filters, mode, signal: request.deadline })
        .catch((error: unknown) => {
          // Past the time limit, the embedder's own abort error means a timeout.
          throw timedOut(request.deadline) ? request.deadline.reason : error;
        });
      app.metrics.retrievalSeconds.observe({ route: '/v1/search' }, timings.totalMs / 1000);
      // The reranker runs on hybrid searches with more than one candidate: it ranked the results if any has its rank.
      const reranker = results.some((result) => result.ranks.reranked != null) ? app.cairn.retriever.reranker : null;
      return { results, mode, reranker, timings };
    },
  );
};
