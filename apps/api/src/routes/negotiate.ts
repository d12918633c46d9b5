import type { FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';

/**
 * The one of `types` the request's Accept header prefers (negotiator: q-values, wildcards,
 * order), the first when it has no Accept header, undefined when it takes none of them.
 */
export function preferredMediaType(request: FastifyRequest, types: readonly string[]): string | undefined {
  return new Negotiator({ headers: { accept: request.headers.accept } }).mediaType([...types]);
}
