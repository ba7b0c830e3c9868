import { entityJsonSchemas, type JsonSchema } from './entity-schema.js';
import type { OpenApiEntity } from './openapi-input.js';
import { CONTINUATION_HEADER } from './paging.js';
import { ACTION_ERRORS } from './problems.js';
import { API_PREFIX, crudRoute, enabledMethods, type CrudMethod } from './routes.js';

type Json = { [k: string]: unknown };

const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });

/** The names of an entity's schemas in `components.schemas`. */
export function schemaNames(componentId: string): { item: string; input: string; patch: string; page: string } {
  return { item: `${componentId}Item`, input: `${componentId}Input`, patch: `${componentId}Patch`, page: `${componentId}Page` };
}

/**
 * The schemas and path items of one CrudApi: only the operations it enables, each with its success and its
 * problem responses (shared `components.responses.Problem<status>`).
 */
export function crudPathItems(entity: OpenApiEntity): { schemas: Record<string, JsonSchema>; paths: Record<string, Json> } {
  const names = schemaNames(entity.componentId);
  const { read, input, patch } = entityJsonSchemas(entity);
  const page: JsonSchema = {
    type: 'object', required: ['items', 'continuationToken'],
    properties: { items: { type: 'array', items: ref('schemas', names.item) }, continuationToken: { type: ['string', 'null'] } },
  };
  const schemas = { [names.item]: { ...read, title: entity.entityName }, [names.input]: input, [names.patch]: patch, [names.page]: page };
  // A partition other than the id or the tenant is named by the client (`?pk=` or `x-partition-key`).
  const partitioned = entity.partitionKey !== '/id' && entity.partitionKey !== '/tenantId';
  const paths: Record<string, Json> = {};
  for (const kind of ['collection', 'item'] as const) {
    const methods = enabledMethods(entity.operations, kind);
    if (methods.length === 0) continue;
    const item: Json = {};
    if (kind === 'item') item['parameters'] = [ref('parameters', 'Id')];
    for (const m of methods) item[m.method.toLowerCase()] = operation(entity, m, names, partitioned);
    paths[`/${API_PREFIX}/${crudRoute(entity.route, kind)}`] = item;
  }
  return { schemas, paths };
}

function operation(entity: OpenApiEntity, m: CrudMethod, names: ReturnType<typeof schemaNames>, partitioned: boolean): Json {
  const parameters: unknown[] = [];
  if (m.action === 'list') parameters.push(...['Limit', 'ContinuationToken', 'Filter', 'OrderBy', 'Select', 'First', 'After'].map((p) => ref('parameters', p)));
  if (partitioned && m.action !== 'create') parameters.push(ref('parameters', 'PartitionKey'), ref('parameters', 'PartitionKeyHeader'));
  if (m.action === 'replace' || m.action === 'update' || m.action === 'delete') parameters.push(ref('parameters', 'IfMatch'));
  const body = m.action === 'create' || m.action === 'replace' ? names.input : m.action === 'update' ? names.patch : undefined;
  const responses: Json = {};
  if (m.status === 204) responses['204'] = { description: 'Deleted.' };
  else if (m.action === 'list') {
    responses['200'] = {
      description: `A page of ${entity.entityName} items.`,
      headers: { [CONTINUATION_HEADER]: ref('headers', 'Continuation') },
      content: { 'application/json': { schema: ref('schemas', names.page) } },
    };
  } else {
    responses[String(m.status)] = {
      description: m.status === 201 ? `The created ${entity.entityName}.` : `The ${entity.entityName}.`,
      headers: { ETag: ref('headers', 'ETag'), ...(m.status === 201 ? { Location: { schema: { type: 'string' } } } : {}) },
      content: { 'application/json': { schema: ref('schemas', names.item) } },
    };
  }
  for (const status of ACTION_ERRORS[m.action]) responses[String(status)] = ref('responses', `Problem${String(status)}`);
  return {
    operationId: `${entity.componentId}_${m.action}`,
    summary: SUMMARIES[m.action](entity.entityName),
    tags: [entity.componentId],
    ...(parameters.length ? { parameters } : {}),
    ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: ref('schemas', body) } } } } : {}),
    responses,
  };
}

const SUMMARIES: Readonly<Record<CrudMethod['action'], (name: string) => string>> = {
  list: (n) => `List ${n} items, a page at a time`,
  create: (n) => `Create a ${n}`,
  get: (n) => `Read one ${n}`,
  replace: (n) => `Replace a ${n} (If-Match for optimistic concurrency)`,
  update: (n) => `Merge changes into a ${n} (JSON merge patch; If-Match for optimistic concurrency)`,
  delete: (n) => `Delete a ${n}`,
};
