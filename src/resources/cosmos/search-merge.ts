import type { TypedRequirement } from '../../kit/pure/resources/resource-type.js';
import type { PlanIssue } from '../../model/plan.js';
import { compare } from '../../kit/pure/resources/merge-strategies.js';
import type { ContainerRequirement, CosmosRequirementConfig } from './requirement.js';
import { VECTOR_INDEX_MIN_VECTORS, type ContainerSearch } from './search-policy.js';

/** One requirement's mention of a container (databases.ts). */
interface Mention {
  readonly r: TypedRequirement<CosmosRequirementConfig>;
  readonly c: ContainerRequirement;
}

/** What the merge reads of the container being merged and its database. */
interface Where {
  readonly name: string;
  readonly throughput?: number;
  readonly autoscaleMaxThroughput?: number;
}

const VECTOR_DOC = 'https://learn.microsoft.com/azure/cosmos-db/nosql/vector-search';
const FULL_TEXT_DOC = 'https://learn.microsoft.com/azure/cosmos-db/gen-ai/full-text-search';

/**
 * A container's search from its mentions, with the plan's checks of Learn's limits:
 * - one full-text policy and one vector embedding policy per container: mentions declaring different search are a
 *   `COSMOS_SEARCH_CONFLICT` (a mention without search takes the other's, as it reads the same items);
 * - no vector search in a shared-throughput database ("Vector search ... current limitations: shared throughput
 *   databases are not supported", ${VECTOR_DOC}): `COSMOS_VECTOR_SHARED_THROUGHPUT` unless the container has its
 *   own throughput;
 * - quantizedFlat and diskANN indexes are used from 1,000 vectors on, a full scan before (same page): a
 *   `COSMOS_VECTOR_FULL_SCAN` warning, so the plan says what a small container's searches cost;
 * - full text in another language than en-US is an early preview ("Multi-language support is in early preview and
 *   may not be available in all Azure Regions", enrolment in "New features for full-text search", ${FULL_TEXT_DOC}):
 *   a `COSMOS_FULL_TEXT_PREVIEW` warning.
 *
 * @example
 * ```ts
 * mergeSearch(db, first, [], cont, issues); // the first mention's search, or undefined
 * ```
 */
export function mergeSearch(
  db: Where,
  first: Mention,
  more: readonly Mention[],
  cont: { readonly throughput?: number; readonly autoscaleMaxThroughput?: number },
  issues: PlanIssue[],
): ContainerSearch | undefined {
  const declared = [first, ...more].filter((m) => m.c.search !== undefined);
  const head = declared[0];
  if (!head?.c.search) return undefined;
  const search = head.c.search;
  const text = JSON.stringify(search);
  const other = declared.find((m) => JSON.stringify(m.c.search) !== text);
  const where = `${db.name}/${first.c.name}`;
  const ids = [...new Set(declared.map((m) => m.r.componentId))].sort(compare);
  if (other) {
    issues.push({
      severity: 'error',
      code: 'COSMOS_SEARCH_CONFLICT',
      components: [head.r.componentId, other.r.componentId].sort(compare),
      path: [...componentPath(other), 'search'],
      message:
        `Container "${where}" is searched by ${head.r.componentId} and ${other.r.componentId} with different ` +
        `declarations; Cosmos DB takes one full-text policy and one vector embedding policy per container.`,
      resolution:
        'Declare the same search on both CrudApis, or give one of them its own containerName.',
    });
  }
  const language = search.fullTextPolicy?.defaultLanguage;
  if (language !== undefined && language !== 'en-US')
    issues.push({
      severity: 'warning',
      code: 'COSMOS_FULL_TEXT_PREVIEW',
      components: ids,
      path: [...componentPath(head), 'search', 'language'],
      message:
        `Container "${where}": full-text search in ${language} is an early preview of Cosmos DB (only en-US is ` +
        `generally available): the account must be enrolled in "New features for full-text search", it may not be ` +
        `offered in every region, and stop words are removed for English only (${FULL_TEXT_DOC}).`,
    });
  if (search.vectorEmbeddingPolicy) {
    const shared = db.throughput !== undefined || db.autoscaleMaxThroughput !== undefined;
    const own = cont.throughput !== undefined || cont.autoscaleMaxThroughput !== undefined;
    if (shared && !own)
      issues.push({
        severity: 'error',
        code: 'COSMOS_VECTOR_SHARED_THROUGHPUT',
        components: ids,
        path: [...componentPath(head), 'search', 'vector'],
        message:
          `Container "${where}" declares vector search in database "${db.name}", which has shared throughput; ` +
          `Cosmos DB does not support vector search in shared-throughput databases (${VECTOR_DOC}).`,
        resolution:
          'Give the CrudApi its own throughput (throughput: 400 or more, priced per container), use a serverless ' +
          'account, or give it a databaseName without shared throughput.',
      });
    const index = search.vectorIndexes?.[0]?.type;
    if (index === 'diskANN' || index === 'quantizedFlat')
      issues.push({
        severity: 'warning',
        code: 'COSMOS_VECTOR_FULL_SCAN',
        components: ids,
        path: [...componentPath(head), 'search', 'vector', 'index'],
        message:
          `Container "${where}": a ${index} index is used from ${String(VECTOR_INDEX_MIN_VECTORS)} vectors on; ` +
          `below that each vector search is a full scan of the container's vectors, its RU charge growing with ` +
          `their count (${VECTOR_DOC}).`,
      });
  }
  return search;
}

/** `components.<id>.config`: the CrudApi's own config, where its `search` was written. */
function componentPath(m: Mention): (string | number)[] {
  return ['components', m.r.componentId, 'config'];
}
