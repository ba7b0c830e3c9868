import type { RuntimeSearch } from '../../model/runtime-manifest.js';
import { ACTION_ERRORS } from '../problems.js';
import { API_PREFIX } from '../routes.js';
import { SEARCH_LIMITS, SEARCH_MODES, searchRoute } from '../search.js';
import type { OpenApiEntity } from './openapi-input.js';
import { type Json, ref } from './openapi-refs.js';

/**
 * `POST api/<route>/search` of a CrudApi that declares `search` (runtime/search/search-items.ts): its body — `text`,
 * `vector` of exactly the declared dimensions, `mode` among those the declaration allows, a list's `filter`, `first`,
 * `after` — and its 200, a page of the entity's items each with its `score`; the list's problem answers.
 *
 * @example
 * ```ts
 * addSearch(entity, entity.search!, paths); // paths['/api/tickets/search'].post
 * ```
 */
export function addSearch(
  entity: OpenApiEntity,
  search: RuntimeSearch,
  paths: Record<string, Json>,
): void {
  const modes = SEARCH_MODES.filter(
    (m) => (m === 'vector' || search.text) && (m === 'text' || search.vector),
  );
  const properties: Json = {
    ...(search.text
      ? {
          text: {
            type: 'string',
            maxLength: SEARCH_LIMITS.maxText,
            description: `The words to search for in ${search.text.fields.join(', ')} (at most ${String(SEARCH_LIMITS.maxTerms)} distinct words).`,
          },
        }
      : {}),
    ...(search.vector
      ? {
          vector: {
            type: 'array',
            items: { type: 'number' },
            minItems: search.vector.dimensions,
            maxItems: search.vector.dimensions,
            description: `The query vector (${search.vector.distance} distance to ${search.vector.field}).`,
          },
        }
      : {}),
    mode: {
      type: 'string',
      enum: modes,
      description:
        'text: BM25; vector: VectorDistance; hybrid: RRF of both. Default from what is sent.',
    },
    filter: { type: 'string', description: "A list's `$filter`, ANDed with the search." },
    first: {
      type: 'integer',
      minimum: 1,
      maximum: SEARCH_LIMITS.maxFirst,
      default: SEARCH_LIMITS.defaultFirst,
    },
    after: { type: 'string', description: "The previous page's `continuationToken`." },
    // Where the CrudApi has a vector: the way to name it back (answers leave it out).
    ...(search.vector
      ? {
          select: {
            type: 'array',
            items: { type: 'string' },
            minItems: 1,
            maxItems: 64,
            description:
              "A list's `$select`: each item holds `id`, the partition key, these fields and its `score`. " +
              `The vector (${search.vector.field}) is in no item unless named here.`,
          },
        }
      : {}),
  };
  const page: Json = {
    type: 'object',
    required: ['items', 'continuationToken'],
    properties: {
      items: {
        type: 'array',
        items: {
          allOf: [
            // Whole items, or what `select` keeps of them (only the id is sure to be there).
            {
              anyOf: [
                ref('schemas', `${entity.componentId}Item`),
                ref('schemas', `${entity.componentId}Selection`),
              ],
            },
            { type: 'object', required: ['score'], properties: { score: { type: 'number' } } },
          ],
        },
      },
      continuationToken: { type: ['string', 'null'] },
    },
  };
  paths[`/${API_PREFIX}/${searchRoute(entity.route)}`] = {
    post: {
      operationId: `${entity.componentId}_search`,
      summary: `Search ${entity.entityName} items, best first`,
      tags: [entity.componentId],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: { type: 'object', properties, additionalProperties: false },
          },
        },
      },
      responses: {
        '200': {
          description: `A page of ${entity.entityName} items ranked by the search, each with its score.`,
          content: { 'application/json': { schema: page } },
        },
        ...Object.fromEntries(
          [...ACTION_ERRORS.list, 413, 415].map((s) => [
            String(s),
            ref('responses', `Problem${String(s)}`),
          ]),
        ),
      },
    },
  };
}
