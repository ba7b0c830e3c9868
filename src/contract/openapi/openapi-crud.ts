import { entityJsonSchemas, type JsonSchema } from '../entity-schema.js';
import type { OpenApiEntity } from './openapi-input.js';
import { CONTINUATION_HEADER } from '../paging.js';
import { ACTION_ERRORS } from '../problems.js';
import { API_PREFIX, crudRoute, enabledMethods, type CrudMethod } from '../routes.js';
import { addRelations } from './openapi-relations.js';
import { addSearch } from './openapi-search.js';
import { type Json, ref } from './openapi-refs.js';

const ID_PARAMETERS = [ref('parameters', 'Id')];

/** The names of an entity's schemas in `components.schemas`. */
export function schemaNames(componentId: string): {
  item: string;
  selection: string;
  input: string;
  patch: string;
  page: string;
} {
  return {
    item: `${componentId}Item`,
    selection: `${componentId}Selection`,
    input: `${componentId}Input`,
    patch: `${componentId}Patch`,
    page: `${componentId}Page`,
  };
}

/**
 * The schemas and path items of one CrudApi: only the operations it enables, each with its success and its
 * problem responses (shared `components.responses.Problem<status>`).
 */
export function crudPathItems(entity: OpenApiEntity): {
  schemas: Record<string, JsonSchema>;
  paths: Record<string, Json>;
} {
  const names = schemaNames(entity.componentId);
  const { read, selection, input, patch } = entityJsonSchemas(entity);
  const page: JsonSchema = {
    type: 'object',
    required: ['items', 'continuationToken'],
    properties: {
      // Whole items, or what `$select` keeps of them (only the id is sure to be there).
      items: {
        type: 'array',
        items: { anyOf: [ref('schemas', names.item), ref('schemas', names.selection)] },
      },
      continuationToken: { type: ['string', 'null'] },
    },
  };
  const schemas = {
    [names.item]: { ...read, title: entity.entityName },
    [names.selection]: selection,
    [names.input]: input,
    [names.patch]: patch,
    [names.page]: page,
  };
  // A partition other than the id or the tenant is named by the client (`?pk=` or `x-partition-key`).
  const partitioned = entity.partitionKey !== '/id' && entity.partitionKey !== '/tenantId';
  const paths: Record<string, Json> = {};
  for (const kind of ['collection', 'item'] as const) {
    const methods = enabledMethods(entity.operations, kind);
    if (methods.length === 0) continue;
    const item: Json = {};
    if (kind === 'item') item['parameters'] = ID_PARAMETERS;
    for (const m of methods)
      item[m.method.toLowerCase()] = operation(entity, m, names, partitioned);
    paths[`/${API_PREFIX}/${crudRoute(entity.route, kind)}`] = item;
  }
  // $count, $expand, the children routes and the relations' problems (openapi-relations.ts).
  addRelations(entity, schemas, paths, names);
  // POST api/<route>/search where the CrudApi declares search and lists (openapi-search.ts).
  if (entity.search && entity.operations.includes('list')) addSearch(entity, entity.search, paths);
  return { schemas, paths };
}

// Parts every operation of an action shares: made once, referenced by each operation (the document is data;
// JSON.stringify writes a shared object at each place), so 1,000 CrudApis cost 1,000 small objects, not 10,000.
const LIST_PARAMETERS = [
  'Limit',
  'ContinuationToken',
  'Filter',
  'OrderBy',
  'Select',
  'First',
  'After',
].map((p) => ref('parameters', p));
const PARTITION = [ref('parameters', 'PartitionKey'), ref('parameters', 'PartitionKeyHeader')];
const IF_MATCH = ref('parameters', 'IfMatch');
const ITEM_HEADERS = { ETag: ref('headers', 'ETag') };
const CREATED_HEADERS = { ...ITEM_HEADERS, Location: ref('headers', 'Location') };
const LIST_HEADERS = { [CONTINUATION_HEADER]: ref('headers', 'Continuation') };
const DELETED = { description: 'Deleted.' };
const ERRORS: Readonly<Record<CrudMethod['action'], Json>> = Object.fromEntries(
  Object.entries(ACTION_ERRORS).map(([action, statuses]) => [
    action,
    Object.fromEntries(
      statuses.map((status) => [String(status), ref('responses', `Problem${String(status)}`)]),
    ),
  ]),
) as Record<CrudMethod['action'], Json>;
const PARAMETERS: Readonly<Record<CrudMethod['action'], readonly [unknown[], unknown[]]>> = {
  // [not partitioned, partitioned]
  list: [LIST_PARAMETERS, [...LIST_PARAMETERS, ...PARTITION]],
  create: [[], []],
  // `$select` on GET one (runtime/crud/select-one.ts): how an item's vector is read; the 200 is the item's schema.
  get: [[ref('parameters', 'Select')], [ref('parameters', 'Select'), ...PARTITION]],
  replace: [[IF_MATCH], [...PARTITION, IF_MATCH]],
  update: [[IF_MATCH], [...PARTITION, IF_MATCH]],
  delete: [[IF_MATCH], [...PARTITION, IF_MATCH]],
};

function operation(
  entity: OpenApiEntity,
  m: CrudMethod,
  names: ReturnType<typeof schemaNames>,
  partitioned: boolean,
): Json {
  // Plain assignments rather than conditional spreads: this runs six times per CrudApi.
  const op: Json = {
    operationId: `${entity.componentId}_${m.action}`,
    summary: SUMMARIES[m.action](entity.entityName),
    tags: [entity.componentId],
  };
  const listed = PARAMETERS[m.action][partitioned ? 1 : 0];
  const boundId = writesId(m.action) ? boundIdParameter(entity) : undefined;
  const parameters = boundId ? [boundId, ...listed] : listed;
  if (parameters.length) op['parameters'] = parameters;
  const body =
    m.action === 'create' || m.action === 'replace'
      ? names.input
      : m.action === 'update'
        ? names.patch
        : undefined;
  if (body) {
    const schema = { schema: ref('schemas', body) };
    // PATCH is a JSON merge patch (RFC 7396): its own media type is accepted beside application/json.
    op['requestBody'] = {
      required: true,
      content:
        m.action === 'update'
          ? { 'application/json': schema, 'application/merge-patch+json': schema }
          : { 'application/json': schema },
    };
  }
  let success: Json;
  if (m.status === 204) success = DELETED;
  else if (m.action === 'list')
    success = {
      description: `A page of ${entity.entityName} items.`,
      headers: LIST_HEADERS,
      content: { 'application/json': { schema: ref('schemas', names.page) } },
    };
  else {
    success = {
      description:
        m.status === 201 ? `The created ${entity.entityName}.` : `The ${entity.entityName}.`,
      headers: m.status === 201 ? CREATED_HEADERS : ITEM_HEADERS,
      content: { 'application/json': { schema: ref('schemas', names.item) } },
    };
  }
  const responses: Json = Object.assign({ [String(m.status)]: success }, ERRORS[m.action]);
  op['responses'] = responses;
  return op;
}

const writesId = (action: CrudMethod['action']): boolean =>
  action === 'replace' || action === 'update';

/**
 * The URL id of a PUT or PATCH under the `maxLength` the schema declares on `id` (the runtime answers a longer one
 * 400 before any read, runtime/crud/item-store.ts): an operation's parameter overrides the path's shared `Id`. A
 * GET or DELETE keeps the shared one: an item stored before the bound was declared is still read and deleted.
 */
function boundIdParameter(entity: OpenApiEntity): Json | undefined {
  const max = Object.hasOwn(entity.schema, 'id') ? entity.schema['id']?.maxLength : undefined;
  return max === undefined
    ? undefined
    : { name: 'id', in: 'path', required: true, schema: { type: 'string', maxLength: max } };
}

const SUMMARIES: Readonly<Record<CrudMethod['action'], (name: string) => string>> = {
  list: (n) => `List ${n} items, a page at a time`,
  create: (n) => `Create a ${n}`,
  get: (n) => `Read one ${n}`,
  replace: (n) => `Replace a ${n} (If-Match for optimistic concurrency)`,
  update: (n) =>
    `Merge changes into a ${n} (JSON merge patch; If-Match for optimistic concurrency)`,
  delete: (n) => `Delete a ${n}`,
};
