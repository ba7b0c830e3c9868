import { DOMAIN_PATHS, DOMAIN_SCHEMAS } from './openapi/openapi-domains.js';
import { queryParameter as query } from './openapi/openapi-parameter.js';
import { DIRECTORY_PATHS, DIRECTORY_SCHEMAS } from './openapi/openapi-directory.js';
import { JOIN_PATHS, JOIN_SCHEMAS } from './openapi/openapi-joins.js';
import { SCIM_TOKEN_PATHS, SCIM_TOKEN_SCHEMAS } from './openapi/openapi-scim-tokens.js';
import { API_KEY_PATHS, API_KEY_SCHEMAS } from './integrations/openapi-api-keys.js';
import { WEBHOOK_PATHS, WEBHOOK_SCHEMAS } from './integrations/openapi-webhooks.js';
import { AGENT_PATHS, AGENT_SCHEMAS } from './mcp/oauth/openapi-agents.js';
import { SCIM_PATHS, SCIM_SECURITY_SCHEME } from './openapi/openapi-scim.js';
import { SCIM_OPENAPI_SCHEMAS, SCIM_SUPPORT_SCHEMAS } from './openapi/openapi-scim-schemas.js';
import type { RuntimeManifest } from '../model/runtime-manifest.js';
import type { JsonSchema } from './entity-schema.js';
import { crudPathItems } from './openapi/openapi-crud.js';
import { RELATION_PARAMETERS_OPENAPI } from './openapi/openapi-relations.js';
import type { OpenApiDevSignIn, OpenApiInput } from './openapi/openapi-input.js';
import { CONTINUATION_HEADER, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './paging.js';
import { filePathItems } from './openapi/openapi-files.js';
import {
  PROBLEM_MEDIA_TYPE,
  PROBLEM_PREFIX,
  PROBLEM_TITLES,
  PROBLEMS,
  runtimeProblemsByStatus,
} from './problems.js';
import { API_PREFIX, HEALTH_ROUTE, OPENAPI_ROUTE } from './routes.js';
import { functionPaths } from './openapi/openapi-functions.js';
import { usedComponents } from './openapi/openapi-prune.js';
import {
  HEALTH_PATH,
  HEALTH_SCHEMA,
  NEGOTIATE_PATH,
  NEGOTIATE_PATH_NAME,
  OPENAPI_PATH,
} from './openapi/openapi-runtime-paths.js';
import {
  TENANT_PATH,
  TENANT_PATH_NAME,
  TENANT_SCHEMAS,
  TENANTS_PATHS,
} from './openapi/openapi-tenants.js';
import {
  LIMITED_429_HEADERS,
  RATE_LIMIT_HEADERS,
  RATE_LIMIT_PAIR,
  withLimitAnswers,
} from './openapi/openapi-limits.js';
import { withFeatureAnswers } from './openapi/openapi-features.js';
import { AUDIT_PATHS, AUDIT_SCHEMAS } from './openapi/openapi-audit.js';
import { BILLING_PATHS, BILLING_SCHEMAS } from './openapi/openapi-billing.js';
import { PLAN_PATHS, PLAN_SCHEMAS } from './plans/openapi-plans.js';
import { MARKETPLACE_PATHS, MARKETPLACE_SCHEMAS } from './openapi/openapi-marketplace.js';
import {
  OWNER_TENANT_OPERATIONS,
  UNDELETE_PATH,
  UNDELETE_PATH_NAME,
} from './openapi/openapi-owner.js';
import {
  MEMBERSHIP_PATHS,
  MEMBERSHIP_SCHEMAS,
  ORGANIZATION_CREATE,
  TENANT_SELECT_PARAMETER,
  withOrganizationHeader,
} from './openapi/openapi-members.js';

/** A registry's own routes and schemas: the caller's tenant, the TenantAdmin API, the plans as packages. */
const REGISTRY_PATHS = { ...TENANTS_PATHS, ...PLAN_PATHS };
const REGISTRY_SCHEMAS = { ...TENANT_SCHEMAS, ...PLAN_SCHEMAS };

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

/** An organization's integrations' routes and schemas: SCIM tokens, API keys and outbound webhooks. */
const TOKEN_PATHS = { ...SCIM_TOKEN_PATHS, ...API_KEY_PATHS, ...WEBHOOK_PATHS };
const TOKEN_SCHEMAS = { ...SCIM_TOKEN_SCHEMAS, ...API_KEY_SCHEMAS, ...WEBHOOK_SCHEMAS };

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
  const schemas = new Map<string, JsonSchema>([
    ['Problem', { ...PROBLEM_SCHEMA, 'x-problem-types': problemCatalog() }],
    ['Health', HEALTH_SCHEMA],
  ]);
  const paths = new Map<string, Json>();
  const add = (path: string, item: Json, url: string) => {
    paths.set(path, url === '' || url === first ? item : { servers: [{ url }], ...item });
  };
  for (const app of input.apps) {
    if (app.crudRuntime) {
      add(`/${API_PREFIX}/${HEALTH_ROUTE}`, HEALTH_PATH, app.url);
      add(`/${API_PREFIX}/${OPENAPI_ROUTE}`, OPENAPI_PATH, app.url);
      // The runtime registers negotiate where an entity is realtime (runtime/register-routes.ts).
      if (app.entities.some((e) => e.realtime)) add(NEGOTIATE_PATH_NAME, NEGOTIATE_PATH, app.url);
      // A tenant registry: the caller's own tenant, the TenantAdmin API and their schemas.
      if (app.tenantRoute) {
        add(TENANT_PATH_NAME, TENANT_PATH, app.url);
        for (const [path, item] of Object.entries(REGISTRY_PATHS))
          add(
            path,
            app.membership && item['post'] ? { ...item, post: ORGANIZATION_CREATE } : item,
            app.url,
          );
        for (const [name, schema] of Object.entries(REGISTRY_SCHEMAS)) schemas.set(name, schema);
      }
      // Tenants by membership: organizations, their members and invitations.
      if (app.tenantRoute && app.membership) {
        for (const [path, item] of Object.entries(MEMBERSHIP_PATHS)) add(path, item, app.url);
        // Owners run their organization: PATCH and DELETE beside GET api/tenant, and the undelete.
        add(TENANT_PATH_NAME, { ...TENANT_PATH, ...OWNER_TENANT_OPERATIONS }, app.url);
        add(UNDELETE_PATH_NAME, UNDELETE_PATH, app.url);
        for (const [name, schema] of Object.entries(MEMBERSHIP_SCHEMAS)) schemas.set(name, schema);
        // An organization's verified domains (runtime/members/domains/domain-routes.ts).
        for (const [path, item] of Object.entries(DOMAIN_PATHS)) add(path, item, app.url);
        for (const [name, schema] of Object.entries(DOMAIN_SCHEMAS)) schemas.set(name, schema);
        // Directory sign-in (runtime/members/directory): served on every membership backend (400 off a
        // multi-organization sign-in).
        for (const [path, item] of Object.entries(DIRECTORY_PATHS)) add(path, item, app.url);
        for (const [name, schema] of Object.entries(DIRECTORY_SCHEMAS)) schemas.set(name, schema);
        // Joins by verified domain (runtime/members/joins/join-routes.ts).
        for (const [path, item] of Object.entries(JOIN_PATHS)) add(path, item, app.url);
        for (const [name, schema] of Object.entries(JOIN_SCHEMAS)) schemas.set(name, schema);
        // SCIM provisioning's tokens (members/scim/scim-routes.ts), API keys (members/keys/api-key-routes.ts).
        for (const [path, item] of Object.entries(TOKEN_PATHS)) add(path, item, app.url);
        for (const [name, schema] of Object.entries(TOKEN_SCHEMAS)) schemas.set(name, schema);
        for (const [path, item] of Object.entries(AUDIT_PATHS)) add(path, item, app.url);
        for (const [name, schema] of Object.entries(AUDIT_SCHEMAS)) schemas.set(name, schema);
      }
      const table = (p: Record<string, Json>, s: Record<string, JsonSchema>) => {
        for (const [path, item] of Object.entries(p)) add(path, item, app.url);
        for (const [name, schema] of Object.entries(s)) schemas.set(name, schema);
      };
      // Subscriptions drive plans: the organization's billing and Stripe's webhook (runtime/routes/billing-*).
      if (app.tenantRoute && app.billing) table(BILLING_PATHS, BILLING_SCHEMAS);
      // Sold on Azure Marketplace: the landing page and Microsoft's webhook (runtime/marketplace).
      if (app.tenantRoute && app.marketplace) table(MARKETPLACE_PATHS, MARKETPLACE_SCHEMAS);
      // mcp.authorization: the agents' grants (runtime/members/agents/agents-routes.ts).
      if (app.tenantRoute && app.membership && app.agents) table(AGENT_PATHS, AGENT_SCHEMAS);
    }
    for (const entity of app.entities) {
      const crud = crudPathItems(entity);
      for (const [name, schema] of Object.entries(crud.schemas)) schemas.set(name, schema);
      for (const [path, item] of Object.entries(crud.paths)) add(path, item, app.url);
    }
    for (const store of app.fileStores ?? []) {
      const files = filePathItems(store);
      for (const name in files.schemas) schemas.set(name, files.schemas[name] as JsonSchema);
      for (const path in files.paths) add(path, files.paths[path] as Json, app.url);
    }
    // Methods of functions sharing a route merge into one path item (a second OPTIONS is the first's).
    for (const f of app.functions)
      for (const [path, item] of functionPaths(f)) {
        const { servers: _, ...before } = paths.get(path) ?? {};
        const merged: Json = { ...before, ...item };
        if (before['options']) merged['options'] = before['options'];
        add(path, merged, app.url);
      }
  }
  // Plans exist only with a tenant registry: then every signed-in operation may meet the limits' answers.
  const limited = input.apps.some((a) => a.crudRuntime && a.tenantRoute);
  const organizations = input.apps.some((a) => a.crudRuntime && a.tenantRoute && a.membership);
  const inOrganizations = organizations ? withOrganizationHeader(paths) : paths;
  // Plans may leave a built-in feature out: its doors may answer 402 feature-not-in-plan (docs/packaging.md).
  const searchRoutes = input.apps.flatMap((a) =>
    a.crudRuntime && a.tenantRoute ? a.entities.filter((e) => e.search).map((e) => e.route) : [],
  );
  const served = limited
    ? withFeatureAnswers(withLimitAnswers(inOrganizations), searchRoutes)
    : inOrganizations;
  // The SCIM routes (runtime/members/scim/scim-routes.ts), added after both: their token names the organization
  // (no X-Atakora-Tenant) and every refusal, a rate limit's included, is a SCIM error, not a problem document.
  const scimApp = input.apps.find((a) => a.crudRuntime && a.tenantRoute && a.membership);
  if (scimApp) {
    for (const [path, item] of Object.entries(SCIM_PATHS))
      served.set(
        path,
        scimApp.url === '' || scimApp.url === first
          ? item
          : { servers: [{ url: scimApp.url }], ...item },
      );
    for (const [name, schema] of Object.entries({
      ...SCIM_OPENAPI_SCHEMAS,
      ...SCIM_SUPPORT_SCHEMAS,
    }))
      schemas.set(name, schema);
  }
  const sorted: Record<string, Json> = {};
  for (const [k, item] of [...served].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    sorted[k] = item;
  const schemaObject: Record<string, JsonSchema> = {};
  for (const [k, v] of schemas) schemaObject[k] = v;
  const scheme = {
    ...(input.devSignIn
      ? { dev: devScheme(input.devSignIn) }
      : input.security
        ? { entra: entraScheme(input.security.tenantId, input.security.scope) }
        : {}),
    ...(scimApp ? { scim: SCIM_SECURITY_SCHEME } : {}),
  };
  return {
    openapi: '3.1.0',
    info: {
      title: input.title,
      version: input.version ?? '1.0.0',
      description: DESCRIPTION,
      license: input.license ?? DEFAULT_LICENSE,
    },
    servers: [{ url: first }],
    // Dev's sign-in is optional: without the header the session's user (`--user`) calls.
    ...(input.devSignIn
      ? { security: [{ dev: [] }, {}] }
      : input.security
        ? { security: [{ entra: [input.security.scope] }] }
        : {}),
    paths: sorted,
    // Only what the paths use: linters (Redocly's recommended rules) flag unused components.
    components: {
      ...usedComponents(sorted, {
        schemas: schemaObject,
        parameters: PARAMETERS,
        headers: HEADERS,
        responses: problemResponses(limited),
      }),
      ...(Object.keys(scheme).length > 0 ? { securitySchemes: scheme } : {}),
    },
  };
}

/**
 * What the API's terms are when the backend names none: no licence is granted (SPDX `LicenseRef-`, as npm's
 * `UNLICENSED`). `OpenApiInput.license` names another.
 */
const DEFAULT_LICENSE = { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' } as const;

const DESCRIPTION =
  'Served by the Atakora CRUD runtime. Errors are RFC 9457 problems (`application/problem+json`; ' +
  '`x-problem-types` lists each type); the SCIM routes (`/api/scim/v2`) answer SCIM errors (RFC 7644 §3.12). ' +
  'A method a path does not list answers 405 with `Allow`.';

function devScheme(dev: OpenApiDevSignIn): Json {
  return {
    type: 'apiKey',
    in: 'header',
    name: dev.header,
    description:
      "`atakora dev` sign-in: no token. Without this header the session's user (`atakora dev --user`) calls; " +
      '`<user>@<tenant>` (optionally `;roles=A,B`) calls as that user, `anonymous` as nobody. Deployed, the API ' +
      'takes Microsoft Entra ID bearer tokens instead.',
  };
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

/** Every type the runtime can send (type URN → status, title and when): the catalog on the Problem schema. */
function problemCatalog(): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [status, codes] of runtimeProblemsByStatus())
    for (const c of codes)
      out[PROBLEM_PREFIX + c] = { status, title: PROBLEMS[c].title, when: PROBLEMS[c].when };
  return out;
}

/**
 * `components.responses.Problem<status>` for every status of the problem table's runtime rows, each listing its
 * types (`x-problem-types`: type URN → title and when) — every type the runtime can send; `limited` (a tenant
 * registry, hence plans): each also declares the `RateLimit-Policy` and `RateLimit` headers.
 */
function problemResponses(limited: boolean): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [status, codes] of runtimeProblemsByStatus()) {
    // A limited caller's every answer carries the RateLimit pair (runtime/usage/limit-headers.ts).
    const headers = limited
      ? status === 429
        ? LIMITED_429_HEADERS
        : { ...PROBLEM_HEADERS[status], ...RATE_LIMIT_PAIR }
      : PROBLEM_HEADERS[status];
    out[`Problem${String(status)}`] = {
      description:
        `${PROBLEM_TITLES[status] ?? 'Error'} (problem types: ` +
        `${codes.map((c) => PROBLEM_PREFIX + c).join(', ')}).`,
      ...(headers ? { headers } : {}),
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
  FileContinuationToken: query(
    'continuationToken',
    'The `continuationToken` of the previous page of files.',
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
  TenantSelect: TENANT_SELECT_PARAMETER,
  IfMatch: {
    name: 'If-Match',
    in: 'header',
    required: false,
    description:
      'The ETag of the version you read (a quoted strong entity-tag), or `*`: a stale one is a 412.',
    schema: { type: 'string' },
  },
};

/** A response header's description and schema (a string unless said). */
const header = (description: string, schema: Json = { type: 'string' }): Json => ({
  description,
  schema,
});

const HEADERS: Record<string, Json> = {
  ETag: header('The entity-tag of this version (send it back in If-Match).'),
  Continuation: header('The continuation token of the next page, when there is one.'),
  Location: header(
    'The path of the created item (relative: resolve it against the URL you called).',
  ),
  RetryAfter: header('Seconds to wait before retrying.', { type: 'integer', minimum: 0 }),
  WWWAuthenticate: header('The scheme to authenticate with (`Bearer`).'),
  Allow: header('The methods the route serves.'),
  ...RATE_LIMIT_HEADERS,
};

/** The headers the runtime sends with a problem of a status (runtime/http: 401, 405, 409 contention, 429, 503). */
const PROBLEM_HEADERS: Readonly<Record<number, Json>> = {
  401: { 'WWW-Authenticate': { $ref: '#/components/headers/WWWAuthenticate' } },
  405: { Allow: { $ref: '#/components/headers/Allow' } },
  409: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } },
  429: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } },
  503: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } },
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
        ...(manifest.auth?.registry ? { tenantRoute: true } : {}),
        ...(manifest.auth?.registry?.membership ? { membership: true } : {}),
        ...(manifest.auth?.registry?.billing?.subscriptions ? { billing: true } : {}),
        ...(manifest.auth?.registry?.marketplace ? { marketplace: true } : {}),
        ...(manifest.mcp?.authorization && manifest.auth?.registry?.membership
          ? { agents: true }
          : {}),
      },
    ],
    ...(o?.security ? { security: o.security } : {}),
    ...(o?.devSignIn ? { devSignIn: o.devSignIn } : {}),
  });
}
