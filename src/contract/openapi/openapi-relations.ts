import type { JsonSchema } from '../entity-schema.js';
import type { OpenApiEntity } from './openapi-input.js';
import { ACTION_ERRORS } from '../problems.js';
import { CONTINUATION_HEADER } from '../paging.js';
import { DOWNLOAD_URL, FILE_METADATA } from './openapi-files.js';
import { childrenRoute } from '../relations.js';
import { API_PREFIX, crudRoute } from '../routes.js';
import { type Json, problem, ref } from './openapi-refs.js';

/** `components.parameters` the relations add: `$count` on every list, `$expand` where there is something to embed. */
export const RELATION_PARAMETERS_OPENAPI: Readonly<Record<string, Json>> = Object.freeze({
  Count: {
    name: '$count',
    in: 'query',
    required: false,
    description:
      '`true` adds `count`: every match inside your confinement (not the page), on every page.',
    schema: { type: 'boolean' },
  },
  Apply: {
    name: '$apply',
    in: 'query',
    required: false,
    description:
      'Groups instead of a page (docs/aggregates.md): `groupby((f1,f2), aggregate($count as count, n with ' +
      'sum|average|min|max as alias))` over scalar schema fields, combinable with `$filter` (not with paging, ' +
      '`$orderby`, `$select`, `$expand` or `$count`). The answer is `{ items: [{ f1, f2, count, alias }] }`, one item ' +
      'per group sorted by its fields, at most 1,000 groups; a bad `$apply` is a 400 `invalid-query`.',
    schema: { type: 'string', maxLength: 2000 },
  },
  Expand: {
    name: '$expand',
    in: 'query',
    required: false,
    description:
      'Comma-separated relations to embed under their names: a belongsTo/file relation embeds the item (null when ' +
      'gone or not readable); a hasMany relation, `name` or `name($first=n)` (n 1…100, default 10), embeds ' +
      '`{ items, continuationToken }` of each parent (the token continues at its children route; a page that ' +
      'expands a hasMany holds at most 100 items).',
    schema: { type: 'string' },
  },
});

// A file relation embeds the metadata without its owner.
const { ownerId: _owner, ...EMBEDDED_FILE } = FILE_METADATA.properties;

/** A file relation's embedded value: the FileStore's metadata with a fresh download URL. */
const FILE_WITH_URL: JsonSchema = {
  type: 'object',
  required: [...FILE_METADATA.required, ...DOWNLOAD_URL.required],
  properties: { ...EMBEDDED_FILE, ...DOWNLOAD_URL.properties },
};

/** The 202 of a delete whose cascade goes on in the background. */
const CASCADE_ACCEPTED: Json = {
  description:
    'The item is gone from reads; its remaining children are being deleted in the background (DELETE again ' +
    'answers 404 once it is done).',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['id', 'status', 'detail'],
        properties: {
          id: { type: 'string' },
          status: { type: 'string', const: 'deleting' },
          detail: { type: 'string' },
        },
      },
    },
  },
};

const withParameters = (op: unknown, more: readonly unknown[]): Json => {
  const o = op as Json;
  return { ...o, parameters: [...((o.parameters as unknown[] | undefined) ?? []), ...more] };
};
const withResponses = (op: unknown, statuses: readonly number[]): Json => {
  const o = op as Json;
  const responses = { ...(o.responses as Json) };
  for (const s of statuses) responses[String(s)] = problem(s);
  return { ...o, responses };
};

/**
 * What relations add to one CrudApi's part of the OpenAPI document, in place on its own (fresh) path items and
 * schemas: `$count` and the page's `count` on its list; with `belongsTo`/`file` relations `$expand` on list and GET
 * one, each relation as an optional (nullable) property of the item, and 422 `reference-not-found` on writes; with
 * `hasMany` relations 409 `has-children` on DELETE and a children route per relation.
 *
 * @example
 * ```ts
 * addRelations(entity, crud.schemas, crud.paths);
 * ```
 */
export function addRelations(
  entity: OpenApiEntity,
  schemas: Record<string, JsonSchema>,
  paths: Record<string, Json>,
  names: { item: string; selection: string; page: string },
): void {
  const collectionPath = `/${API_PREFIX}/${crudRoute(entity.route, 'collection')}`;
  const itemPath = `/${API_PREFIX}/${crudRoute(entity.route, 'item')}`;
  const collection = paths[collectionPath];
  const item = paths[itemPath];
  const relations = entity.relations ?? [];
  const references = relations.filter((r) => r.kind !== 'hasMany');
  // Every relation can be expanded: a reference embeds one item, a hasMany a page of children per parent.
  const expandable = relations;
  const expand = expandable.length ? [ref('parameters', 'Expand')] : [];
  if (collection?.get)
    collection.get = withParameters(collection.get, [
      ref('parameters', 'Count'),
      ref('parameters', 'Apply'),
      ...expand,
    ]);
  const page = schemas[names.page];
  if (page)
    schemas[names.page] = {
      ...page,
      properties: {
        ...(page.properties as Json),
        count: {
          type: 'integer',
          minimum: 0,
          description: 'With `$count=true`: every match, not the page.',
        },
      },
    };
  if (expandable.length) {
    if (item?.get) item.get = withParameters(item.get, expand);
    // The item and what `$select` keeps of it both carry the expansions.
    for (const name of [names.item, names.selection]) {
      const read = schemas[name];
      if (!read) continue;
      const properties = { ...(read.properties as Json) };
      for (const r of expandable)
        properties[r.name] =
          r.kind === 'hasMany'
            ? {
                description: `With \`$expand=${r.name}\` (or \`${r.name}($first=n)\`): the first of its ${r.name} and the token that continues at its children route, or null when you may not list them.`,
                anyOf: [
                  {
                    type: 'object',
                    required: ['items', 'continuationToken'],
                    properties: {
                      items: {
                        type: 'array',
                        maxItems: 100,
                        items: ref('schemas', `${r.target}Item`),
                      },
                      continuationToken: { type: ['string', 'null'] },
                    },
                  },
                  { type: 'null' },
                ],
              }
            : {
                description: `With \`$expand=${r.name}\`: the ${r.kind === 'file' ? 'file' : 'item'} \`${r.field}\` names, or null.`,
                anyOf: [
                  r.kind === 'file' ? FILE_WITH_URL : ref('schemas', `${r.target}Item`),
                  { type: 'null' },
                ],
              };
      schemas[name] = { ...read, properties };
    }
  }
  if (references.length) {
    if (collection?.post) collection.post = withResponses(collection.post, [422]);
    if (item?.put) item.put = withResponses(item.put, [422]);
    if (item?.patch) item.patch = withResponses(item.patch, [422]);
  }
  const children = relations.filter((r) => r.kind === 'hasMany');
  if (children.length && item?.delete) item.delete = withResponses(item.delete, [409]);
  // A cascade that outlasts the request's budget goes on in the background (runtime/relations/cascade-delete.ts).
  if (children.some((r) => r.onDelete === 'cascade') && item?.delete) {
    const del = item.delete as Json;
    item.delete = {
      ...del,
      responses: { '202': CASCADE_ACCEPTED, ...(del.responses as Json) },
    };
  }
  for (const r of children) {
    paths[`/${API_PREFIX}/${childrenRoute(entity.route, r.name)}`] = {
      parameters: [ref('parameters', 'Id')],
      get: {
        operationId: `${entity.componentId}_${r.name}`,
        summary: `List the ${r.name} of one ${entity.entityName} (the list options of ${r.target})`,
        tags: [entity.componentId],
        parameters: ['Filter', 'OrderBy', 'Select', 'First', 'After', 'Count', 'Expand'].map((p) =>
          ref('parameters', p),
        ),
        responses: {
          '200': {
            description: `A page of the ${entity.entityName}'s ${r.name}.`,
            // The next page's token, as on the collection's list (runtime/crud/collection-operations.ts).
            headers: { [CONTINUATION_HEADER]: ref('headers', 'Continuation') },
            content: { 'application/json': { schema: ref('schemas', `${r.target}Page`) } },
          },
          ...Object.fromEntries(
            [...new Set([...ACTION_ERRORS.list, 404])].map((s) => [String(s), problem(s)]),
          ),
        },
      },
    };
  }
}
