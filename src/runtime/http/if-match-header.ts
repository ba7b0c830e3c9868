import type { HttpRequest } from '@azure/functions';
import { type IfMatch, parseIfMatch } from '../data/if-match.js';
import { isIssuableEtag, isSendableEtag } from '../values/text-checks.js';
import { refused } from './response.js';
import type { Resolved } from './scope.js';

/**
 * The request's `If-Match`, or a 400 `invalid-if-match` when a tag holds characters no Cosmos DB ETag has (they
 * would reach a Cosmos request header, which refuses them with a TypeError): a CRUD write's, a TenantAdmin PATCH's.
 *
 * @example
 * ```ts
 * const condition = ifMatchOf(request);
 * if (!condition.ok) return condition.response;
 * ```
 */
export function ifMatchOf(request: HttpRequest): Resolved<IfMatch> {
  const condition = parseIfMatch(request.headers.get('if-match'));
  if (
    condition.kind === 'tags' &&
    !condition.tags.every((t) => isSendableEtag(t) && isIssuableEtag(t))
  )
    return refused(
      'invalid-if-match',
      'If-Match must hold entity tags as the API issued them (quoted visible ASCII).',
    );
  return { ok: true, value: condition };
}
