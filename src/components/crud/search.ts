import { AtakoraError } from '../../model/errors.js';
import { FIELD_NAME } from '../../model/field-names.js';
import {
  VECTOR_DISTANCES,
  VECTOR_INDEX_TYPES,
  type FieldSpec,
  type RuntimeSearch,
} from '../../model/runtime-manifest.js';
import { checkKnownKeys, keysOf } from '../check-keys.js';
import {
  DEFAULT_EMBEDDING_MODEL,
  EMBEDDING_MODELS,
  isEmbeddingModel,
  type EmbeddingModel,
} from '../../model/embedding-models.js';

/** A schema field named bare (`'title'`) or as a Cosmos DB path (`'/title'`). */
export type SearchPath<F extends string> = F | `/${F}`;

/**
 * Full-text search languages Cosmos DB accepts in a full-text policy, as Learn lists them ("Full-text search in
 * Azure Cosmos DB for NoSQL", Multi-language support: https://learn.microsoft.com/azure/cosmos-db/gen-ai/full-text-search).
 * Only `en-US` is generally available; the others are an early preview that the account must enrol in ("New
 * features for full-text search" in the portal's Features) and that "may not be available in all Azure Regions" —
 * the plan says so (`COSMOS_FULL_TEXT_PREVIEW`, resources/cosmos/search-merge.ts).
 */
export const FULL_TEXT_LANGUAGES = [
  'en-US',
  'de-DE',
  'es-ES',
  'fr-FR',
  'it-IT',
  'pt-PT',
  'pt-BR',
] as const;

/**
 * The most dimensions each vector index type takes (Learn, "Vector indexing policies": flat 505, quantizedFlat and
 * diskANN 4,096 — https://learn.microsoft.com/azure/cosmos-db/index-policy#vector-indexes).
 */
export const VECTOR_MAX_DIMENSIONS = { flat: 505, quantizedFlat: 4096, diskANN: 4096 } as const;

/**
 * `CrudApiConfig.search`: Cosmos DB's full-text and vector search over the entity's fields (docs/search.md).
 * `F` is the schema's field names.
 *
 * @example
 * ```ts
 * const search: SearchDefinition<'title' | 'embedding'> = {
 *   text: ['title'],
 *   vector: { path: 'embedding', dimensions: 1536, distance: 'cosine', index: 'diskANN' },
 * };
 * ```
 */
export interface SearchDefinition<F extends string = string> {
  /** String fields searched as full text (`FullTextContains`, ranked by `FullTextScore`). */
  readonly text?: readonly SearchPath<F>[];
  /** The full-text language. Default `'en-US'`. */
  readonly language?: (typeof FULL_TEXT_LANGUAGES)[number];
  /** An array field holding each item's embedding, ranked by `VectorDistance`. */
  readonly vector?: VectorSearchDefinition<F>;
}

/**
 * The vector half of {@link SearchDefinition}.
 *
 * @example
 * ```ts
 * const vector: VectorSearchDefinition<'embedding' | 'title'> = {
 *   path: 'embedding',
 *   dimensions: 1536,
 *   embed: { from: ['title'], deployment: 'text-embedding-3-small' },
 * };
 * ```
 */
export interface VectorSearchDefinition<F extends string = string> {
  readonly path: SearchPath<F>;
  /** Numbers per vector: at most 505 with `index: 'flat'`, 4,096 otherwise. */
  readonly dimensions: number;
  /** Default `'cosine'`. */
  readonly distance?: (typeof VECTOR_DISTANCES)[number];
  /** Default `'diskANN'`. */
  readonly index?: (typeof VECTOR_INDEX_TYPES)[number];
  /**
   * Fields the runtime embeds into `path` through this Azure OpenAI embedding deployment, which the plan makes with
   * `model` (default `'text-embedding-3-small'`; `dimensions` at most the model's: 1,536, or 3,072 for
   * text-embedding-3-large, exactly 1,536 for text-embedding-ada-002).
   */
  readonly embed?: {
    readonly from: readonly SearchPath<F>[];
    readonly deployment: string;
    readonly model?: EmbeddingModel;
  };
}

const SEARCH_KEYS = keysOf<SearchDefinition>()(['text', 'language', 'vector']);
const VECTOR_KEYS = keysOf<VectorSearchDefinition>()([
  'path',
  'dimensions',
  'distance',
  'index',
  'embed',
]);
const EMBED_KEYS = keysOf<NonNullable<VectorSearchDefinition['embed']>>()([
  'from',
  'deployment',
  'model',
]);
/** Azure OpenAI deployment names: letters, digits, `-`, `_` and `.` (what the portal accepts), up to 64. */
const DEPLOYMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Check `search` against the schema and write it as the runtime reads it: full-text fields are string fields of
 * the schema, the vector field an array field, dimensions within the index type's limit (`CRUD_SEARCH_DIMENSIONS`);
 * anything else is a `CRUD_SEARCH_INVALID` with the path of the bad value.
 *
 * @example
 * ```ts
 * normalizeSearch('DocApi', { text: ['/title'] }, { title: { type: 'string', required: false } });
 * // { text: { fields: ['title'], language: 'en-US' } }
 * ```
 */
export function normalizeSearch(
  id: string,
  search: unknown,
  schema: Readonly<Record<string, FieldSpec>>,
): RuntimeSearch {
  const at = (...p: (string | number)[]) => ['components', id, 'config', 'search', ...p];
  const fail = (message: string, path: (string | number)[], resolution?: string): never => {
    throw new AtakoraError('CRUD_SEARCH_INVALID', `CrudApi ${id}: ${message}`, {
      path,
      ...(resolution ? { resolution } : {}),
    });
  };
  if (!isObject(search))
    return fail('search must be an object { text?, language?, vector? }.', at());
  checkKnownKeys(search, SEARCH_KEYS, at(), `CrudApi ${id}: search`);
  const field = (value: unknown, type: 'string' | 'array', path: (string | number)[]): string => {
    const name = typeof value === 'string' ? value.replace(/^\//, '') : '';
    if (!FIELD_NAME.test(name))
      fail(`${JSON.stringify(value)} is not a top-level field (write 'title' or '/title').`, path);
    const spec = schema[name];
    if (!spec)
      fail(`"${name}" is not a field of the schema (${Object.keys(schema).join(', ')}).`, path);
    if (spec?.type !== type)
      fail(
        `"${name}" is ${spec?.type ?? 'undeclared'}; ${type === 'string' ? 'full-text search reads string fields' : 'a vector is an array field of numbers'}.`,
        path,
        `Declare "${name}" as '${type}' in the schema, or name a ${type} field.`,
      );
    return name;
  };
  const fields = (list: unknown, type: 'string', path: (string | number)[]): string[] => {
    if (!Array.isArray(list) || list.length === 0)
      fail('expected a non-empty list of string fields.', path);
    const names = (list as unknown[]).map((v, i) => field(v, type, [...path, i]));
    if (new Set(names).size !== names.length) fail('a field is named twice.', path);
    return names;
  };
  const out: { text?: RuntimeSearch['text']; vector?: RuntimeSearch['vector'] } = {};
  const language = search['language'] ?? 'en-US';
  if (!(FULL_TEXT_LANGUAGES as readonly unknown[]).includes(language))
    fail(
      `full-text language ${JSON.stringify(language)} is not one Cosmos DB supports.`,
      at('language'),
      `Use one of ${FULL_TEXT_LANGUAGES.join(', ')} (https://learn.microsoft.com/azure/cosmos-db/gen-ai/full-text-search).`,
    );
  if (search['text'] !== undefined)
    out.text = {
      fields: fields(search['text'], 'string', at('text')),
      language: language as string,
    };
  else if (search['language'] !== undefined)
    fail('language applies to full-text fields, and text names none.', at('language'));
  if (search['vector'] !== undefined)
    out.vector = normalizeVector(id, search['vector'], field, fields, fail, at);
  if (!out.text && !out.vector) fail('search declares neither text nor vector.', at());
  return out;
}

type Fail = (message: string, path: (string | number)[], resolution?: string) => never;

function normalizeVector(
  id: string,
  vector: unknown,
  field: (value: unknown, type: 'string' | 'array', path: (string | number)[]) => string,
  fields: (list: unknown, type: 'string', path: (string | number)[]) => string[],
  fail: Fail,
  at: (...p: (string | number)[]) => (string | number)[],
): NonNullable<RuntimeSearch['vector']> {
  if (!isObject(vector))
    return fail(
      'search.vector must be an object { path, dimensions, distance?, index?, embed? }.',
      at('vector'),
    );
  checkKnownKeys(vector, VECTOR_KEYS, at('vector'), `CrudApi ${id}: search.vector`);
  const name = field(vector['path'], 'array', at('vector', 'path'));
  const distance = vector['distance'] ?? 'cosine';
  if (!(VECTOR_DISTANCES as readonly unknown[]).includes(distance))
    fail(`distance must be one of ${VECTOR_DISTANCES.join(', ')}.`, at('vector', 'distance'));
  const indexIn = vector['index'] ?? 'diskANN';
  if (!(VECTOR_INDEX_TYPES as readonly unknown[]).includes(indexIn))
    fail(`index must be one of ${VECTOR_INDEX_TYPES.join(', ')}.`, at('vector', 'index'));
  const index = indexIn as (typeof VECTOR_INDEX_TYPES)[number];
  const max = VECTOR_MAX_DIMENSIONS[index];
  const dimensions = vector['dimensions'];
  if (
    typeof dimensions !== 'number' ||
    !Number.isInteger(dimensions) ||
    dimensions < 1 ||
    dimensions > max
  )
    throw new AtakoraError(
      'CRUD_SEARCH_DIMENSIONS',
      `CrudApi ${id}: a ${index} vector index takes 1 to ${String(max)} dimensions (got ${JSON.stringify(dimensions)}).`,
      {
        path: at('vector', 'dimensions'),
        resolution:
          index === 'flat'
            ? "Use index: 'quantizedFlat' or 'diskANN' (up to 4,096 dimensions), or a model with at most 505."
            : 'Use an embedding model (or its `dimensions` option) with at most 4,096 dimensions. See ' +
              'https://learn.microsoft.com/azure/cosmos-db/index-policy#vector-indexes.',
      },
    );
  const e = vector['embed'];
  const embed = e === undefined ? undefined : normalizeEmbed(id, e, dimensions, fields, fail, at);
  return {
    field: name,
    dimensions,
    distance: distance as (typeof VECTOR_DISTANCES)[number],
    index,
    ...(embed ? { embed } : {}),
  };
}

function normalizeEmbed(
  id: string,
  e: unknown,
  dimensions: number,
  fields: (list: unknown, type: 'string', path: (string | number)[]) => string[],
  fail: Fail,
  at: (...p: (string | number)[]) => (string | number)[],
): NonNullable<NonNullable<RuntimeSearch['vector']>['embed']> {
  if (!isObject(e))
    return fail('embed must be an object { from, deployment, model? }.', at('vector', 'embed'));
  checkKnownKeys(e, EMBED_KEYS, at('vector', 'embed'), `CrudApi ${id}: search.vector.embed`);
  const from = fields(e['from'], 'string', at('vector', 'embed', 'from'));
  if (typeof e['deployment'] !== 'string' || !DEPLOYMENT.test(e['deployment']))
    fail(
      'embed.deployment must name an Azure OpenAI embedding deployment (letters, digits, ".", "-", "_").',
      at('vector', 'embed', 'deployment'),
    );
  const model = e['model'] ?? DEFAULT_EMBEDDING_MODEL;
  const models = Object.keys(EMBEDDING_MODELS).join(', ');
  if (!isEmbeddingModel(model))
    throw new AtakoraError(
      'CRUD_SEARCH_EMBED_MODEL',
      `CrudApi ${id}: ${JSON.stringify(model)} is not an Azure OpenAI embedding model the plan deploys.`,
      { path: at('vector', 'embed', 'model'), resolution: `Name one of ${models}.` },
    );
  const { maxDimensions, shortens } = EMBEDDING_MODELS[model];
  // ada-002 takes no `dimensions` in the request: it returns 1,536 numbers, which must be what Cosmos DB expects.
  if (shortens ? dimensions > maxDimensions : dimensions !== maxDimensions)
    throw new AtakoraError(
      'CRUD_SEARCH_EMBED_MODEL',
      `CrudApi ${id}: ${model} returns ${shortens ? `at most ${String(maxDimensions)}` : `exactly ${String(maxDimensions)}`} ` +
        `dimensions; search.vector.dimensions is ${String(dimensions)}.`,
      {
        path: at('vector', 'dimensions'),
        resolution: shortens
          ? `Set dimensions to at most ${String(maxDimensions)}, or embed with text-embedding-3-large (up to 3,072).`
          : `Set dimensions to ${String(maxDimensions)}, or embed with text-embedding-3-small or -large, which shorten.`,
      },
    );
  return { from, deployment: e['deployment'], model };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
