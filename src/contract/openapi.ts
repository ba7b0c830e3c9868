import type { RuntimeManifest } from '../model/runtime-manifest.js';
import type { JsonSchema } from './entity-schema.js';
import { crudPathItems } from './openapi-crud.js';
import { RELATION_PARAMETERS_OPENAPI } from './openapi-relations.js';
import type { OpenApiFunction, OpenApiInput } from './openapi-input.js';
import { CONTINUATION_HEADER, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './paging.js';
import { filePathItems } from './openapi-files.js';
import {
  PROBLEM_MEDIA_TYPE,
  PROBLEM_PREFIX,
  PROBLEM_TITLES,
  PROBLEMS,
  runtimeProblemsByStatus,
} from './problems.js';
import { API_PREFIX, HEALTH_ROUTE, OPENAPI_ROUTE } from './routes.js';

/**
 * An OpenAPI 3.1 document as plain data.
 *
 * @example
 * ```ts
 * const doc: OpenApiDocument = openApiFromPlan(backend.plan());
 * doc.openapi; // '3.1.0'
 * ```
 */
export type OpenApiDocument = { readonly openapi: '3.1.0'; readonly [k: string]: unknown };

type Json = { [k: string]: unknown };

/**
 * The OpenAPI 3.1 document of a backend (pure; same input → same document): every CrudApi route and the
 * operations it enables, with the entity's JSON Schemas, list query and paging parameters, ETag / If-Match,
 * RFC 9457 problems; every FunctionsApp HTTP route with the request/response schemas its config gives; the
 * runtime's `api/health` (anonymous) and `api/openapi.json`; the Entra OAuth2 scheme with the API's scope.
 * Paths carry `/api/`; the servers are the Function Apps (a path on another app than the first names its own).
 *
 * @example
 * ```ts
 * const doc = openApiDocument({
 *   title: 'shop',
 *   apps: [
 *     {
 *       url: 'https://func-shop-x1.azurewebsites.net',
 *       crudRuntime: true,
 *       entities,
 *       functions: [],
 *     },
 *   ],
 * });
 * Object.keys(doc.paths as object); // ['/api/health', '/api/openapi.json', '/api/products', '/api/products/{id}']
 * ```
 */
export function openApiDocument(input: OpenApiInput): OpenApiDocument {
  const first = input.apps.find((a) => a.url !== '')?.url ?? '/';
  // Maps, turned into objects once at the end: one insertion per key (paths sorted), however many components.
  const schemas = new Map<string, JsonSchema>([['Problem', PROBLEM_SCHEMA]]);
  const paths = new Map<string, Json>();
  const add = (path: string, item: Json, url: string) => {
    paths.set(path, url === '' || url === first ? item : { servers: [{ url }], ...item });
  };
  for (const app of input.apps) {
    if (app.crudRuntime) {
      add(`/${API_PREFIX}/${HEALTH_ROUTE}`, HEALTH_PATH, app.url);
      add(`/${API_PREFIX}/${OPENAPI_ROUTE}`, OPENAPI_PATH, app.url);
    }
    for (const entity of app.entities) {
      const crud = crudPathItems(entity);
      for (const name in crud.schemas) schemas.set(name, crud.schemas[name]!);
      for (const path in crud.paths) add(path, crud.paths[path]!, app.url);
    }
    for (const store of app.fileStores ?? []) {
      const files = filePathItems(store);
      for (const name in files.schemas) schemas.set(name, files.schemas[name] as JsonSchema);
      for (const path in files.paths) add(path, files.paths[path] as Json, app.url);
    }
    for (const f of app.functions) add(...functionPath(f, paths), app.url);
  }
  const sorted: Record<string, Json> = {};
  for (const k of [...paths.keys()].sort()) sorted[k] = paths.get(k)!;
  const schemaObject: Record<string, JsonSchema> = {};
  for (const [k, v] of schemas) schemaObject[k] = v;
  return {
    openapi: '3.1.0',
    info: { title: input.title, version: input.version ?? '1.0.0' },
    servers: [{ url: first }],
    ...(input.security ? { security: [{ entra: [input.security.scope] }] } : {}),
    paths: sorted,
    components: {
      schemas: schemaObject,
      parameters: PARAMETERS,
      headers: HEADERS,
      responses: problemResponses(),
      ...(input.security
        ? { securitySchemes: { entra: entraScheme(input.security.tenantId, input.security.scope) } }
        : {}),
    },
  };
}

/** `orders/{id:int}` → `/api/orders/{id}`, with its path parameters; methods merge into an existing path item. */
function functionPath(f: OpenApiFunction, paths: ReadonlyMap<string, Json>): [string, Json] {
  const names: string[] = [];
  const segments = f.route.split('/').map((s) => {
    const m = /^\{\*{0,2}([A-Za-z_][A-Za-z0-9_]*)[^}]*\}$/.exec(s);
    if (!m) return s;
    names.push(m[1]!);
    return `{${m[1]!}}`;
  });
  const path = `/${API_PREFIX}/${segments.join('/')}`;
  const item: Json = { ...(paths.get(path) ?? {}) };
  if (names.length)
    item['parameters'] = names.map((name) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
  for (const method of f.methods) {
    const m = method.toLowerCase();
    if (m === 'options' && item[m]) continue;
    item[m] = {
      operationId: `${f.name}_${m}`,
      summary: `Function ${f.name}`,
      tags: [f.componentId],
      ...(f.requestSchema && m !== 'get' && m !== 'head' && m !== 'delete'
        ? { requestBody: { content: { 'application/json': { schema: f.requestSchema } } } }
        : {}),
      responses: {
        '200': {
          description: "The function's response.",
          ...(f.responseSchema
            ? { content: { 'application/json': { schema: f.responseSchema } } }
            : {}),
        },
        '401': { $ref: '#/components/responses/Problem401' },
      },
    };
  }
  return [path, item];
}

function entraScheme(tenantId: string, scope: string): Json {
  // A tenant known only after deploy (a Terraform expression) cannot be a URL: the multi-organization
  // endpoint stands in, and the extension names the expression.
  const known = !tenantId.includes('${');
  const authority = `https://login.microsoftonline.com/${known ? encodeURIComponent(tenantId) : 'organizations'}/oauth2/v2.0`;
  return {
    type: 'oauth2',
    description:
      'Microsoft Entra ID: ask a token for the API scope and send it as `Authorization: Bearer <token>` (App ' +
      'Service authentication validates it).',
    flows: {
      authorizationCode: {
        authorizationUrl: `${authority}/authorize`,
        tokenUrl: `${authority}/token`,
        scopes: { [scope]: 'Call the API as the signed-in user.' },
      },
    },
    ...(known ? {} : { 'x-atakora-tenant': tenantId }),
  };
}

/**
 * `components.responses.Problem<status>` for every status of the problem table's runtime rows, each listing its
 * types (`x-problem-types`: type URN → title and when) — every type the runtime can send.
 */
function problemResponses(): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [status, codes] of runtimeProblemsByStatus()) {
    out[`Problem${String(status)}`] = {
      description:
        `${PROBLEM_TITLES[status] ?? 'Error'} (problem types: ` +
        `${codes.map((c) => PROBLEM_PREFIX + c).join(', ')}).`,
      content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
      'x-problem-types': Object.fromEntries(
        codes.map((c) => [
          PROBLEM_PREFIX + c,
          { title: PROBLEMS[c].title, when: PROBLEMS[c].when },
        ]),
      ),
    };
  }
  return out;
}

const PROBLEM_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'An RFC 9457 problem document.',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', description: `\`${PROBLEM_PREFIX}<slug>\`` },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'code', 'message'],
        properties: {
          field: { type: 'string' },
          code: { type: 'string' },
          message: { type: 'string' },
        },
      },
    },
  },
};

const query = (name: string, description: string, schema: Json): Json => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});

const PARAMETERS: Record<string, Json> = {
  Id: { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
  Limit: query('limit', `Items per page (default ${String(DEFAULT_PAGE_SIZE)}).`, {
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
  }),
  ContinuationToken: query(
    'continuationToken',
    `The token of the previous page (also accepted as the ${CONTINUATION_HEADER} header).`,
    { type: 'string' },
  ),
  Filter: query(
    '$filter',
    'A filter expression: eq ne gt ge lt le, and or not, parentheses, in, startswith endswith contains.',
    { type: 'string' },
  ),
  OrderBy: query(
    '$orderby',
    'Comma-separated fields (declared `sortable`), each optionally `asc` or `desc`.',
    { type: 'string' },
  ),
  Select: query('$select', 'Comma-separated fields to return (the id is always returned).', {
    type: 'string',
  }),
  First: query('$first', 'Items per page (as limit).', {
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
  }),
  After: query('$after', 'The continuation token of the previous page (as continuationToken).', {
    type: 'string',
  }),
  PartitionKey: query('pk', 'The partition key value (or the x-partition-key header).', {
    type: 'string',
  }),
  PartitionKeyHeader: {
    name: 'x-partition-key',
    in: 'header',
    required: false,
    schema: { type: 'string' },
  },
  ...RELATION_PARAMETERS_OPENAPI,
  IfMatch: {
    name: 'If-Match',
    in: 'header',
    required: false,
    description:
      'The ETag of the version you read (a quoted strong entity-tag), or `*`: a stale one is a 412.',
    schema: { type: 'string' },
  },
};

const HEADERS: Record<string, Json> = {
  ETag: {
    description: 'The entity-tag of this version (send it back in If-Match).',
    schema: { type: 'string' },
  },
  Continuation: {
    description: 'The continuation token of the next page, when there is one.',
    schema: { type: 'string' },
  },
};

const HEALTH_PATH: Json = {
  get: {
    operationId: 'health',
    summary: 'Health of the containers the app owns (anonymous).',
    security: [],
    tags: ['runtime'],
    responses: {
      '200': { description: 'Healthy.' },
      '503': { description: 'A container is unreachable.' },
    },
  },
};

const OPENAPI_PATH: Json = {
  get: {
    operationId: 'openapi',
    summary: 'This document.',
    tags: ['runtime'],
    responses: {
      '200': {
        description: 'The OpenAPI 3.1 document.',
        content: { 'application/json': { schema: { type: 'object' } } },
      },
      '401': { $ref: '#/components/responses/Problem401' },
    },
  },
};

/**
 * The document one Function App serves at `GET api/openapi.json`: its CrudApis, the HTTP functions and sign-in
 * its manifest names, served from `url` (the request's origin).
 *
 * @example
 * ```ts
 * const doc = openApiFromManifest(manifest, 'https://func-shop-prod-x1.azurewebsites.net');
 * ```
 */
export function openApiFromManifest(manifest: RuntimeManifest, url: string): OpenApiDocument {
  const o = manifest.openapi;
  return openApiDocument({
    title: o?.title ?? manifest.backendId,
    apps: [
      {
        url,
        crudRuntime: true,
        entities: manifest.entities,
        functions: o?.functions ?? [],
        ...(manifest.fileStores ? { fileStores: manifest.fileStores } : {}),
      },
    ],
    ...(o?.security ? { security: o.security } : {}),
  });
}
