import type {
  RuntimeEntity,
  RuntimeFileStore,
  RuntimeHttpFunction,
} from '../../model/runtime-manifest.js';

/**
 * One CrudApi as the OpenAPI document describes it: the runtime's view of it (a manifest entity).
 *
 * @example
 * ```ts
 * const e: OpenApiEntity = manifest.entities[0]!;
 * ```
 */
export type OpenApiEntity = Pick<
  RuntimeEntity,
  | 'componentId'
  | 'entityName'
  | 'route'
  | 'partitionKey'
  | 'schema'
  | 'operations'
  | 'unknownFields'
  | 'tenancy'
  | 'ownerField'
  | 'relations'
  | 'ttl'
  | 'realtime'
  | 'search'
>;

/**
 * One HTTP function of a FunctionsApp: its route and methods, and the JSON Schemas of its request and
 * response bodies when the function's config gives them (`requestSchema`, `responseSchema`).
 *
 * @example
 * ```ts
 * const f: OpenApiFunction = {
 *   componentId: 'Orders',
 *   name: 'Orders-submit',
 *   route: 'orders/submit',
 *   methods: ['POST'],
 *   requestSchema: { type: 'object' },
 * };
 * ```
 */
export type OpenApiFunction = RuntimeHttpFunction;

/**
 * One Function App: where it is served and what it serves. Its CrudApis and functions are under `<url>/api/`.
 *
 * @example
 * ```ts
 * const app: OpenApiApp = { url: 'https://func-shop-prod-x1.azurewebsites.net', entities, functions: [] };
 * ```
 */
export interface OpenApiApp {
  /** `https://<app>.azurewebsites.net`, or `''` when unknown (the document then names a relative server). */
  readonly url: string;
  /** Whether the CRUD runtime runs here (it serves `api/health` and `api/openapi.json`). */
  readonly crudRuntime: boolean;
  readonly entities: readonly OpenApiEntity[];
  readonly functions: readonly OpenApiFunction[];
  /** The FileStores served here (absent: none). */
  readonly fileStores?: readonly RuntimeFileStore[];
  /** Whether `GET api/tenant` is served here (a backend with a tenant registry). */
  readonly tenantRoute?: boolean;
  /** Whether the membership routes are served here (tenants by membership): organizations users join. */
  readonly membership?: boolean;
  /** Whether subscriptions drive plans here (`tenants.billing.stripe.webhookSecret`): the billing routes. */
  readonly billing?: boolean;
  /** Whether an offer is sold on Azure Marketplace here (`tenants.billing.marketplace`): its landing page and webhook. */
  readonly marketplace?: boolean;
  /** Whether agents sign in to organizations here (`mcp.authorization`, tenants by membership): their grants' routes. */
  readonly agents?: boolean;
}

/**
 * The Entra sign-in of the API: the tenant that issues tokens and the delegated scope clients ask for.
 * Values only known after deploy may be Terraform expressions (`${…}`) in a document made from the plan.
 *
 * @example
 * ```ts
 * const security: OpenApiSecurity = { tenantId: 'contoso.onmicrosoft.com', scope: 'api://1111…/user_impersonation' };
 * ```
 */
export interface OpenApiSecurity {
  readonly tenantId: string;
  readonly scope: string;
}

/**
 * What {@link openApiDocument} describes: the backend's apps and their sign-in (absent: `auth: 'none'`).
 *
 * @example
 * ```ts
 * const input: OpenApiInput = { title: 'shop', apps: [app], security };
 * ```
 */
export interface OpenApiInput {
  readonly title: string;
  readonly version?: string;
  readonly apps: readonly OpenApiApp[];
  readonly security?: OpenApiSecurity;
  /** `atakora dev`'s sign-in, described instead of `security` (dev takes no token). */
  readonly devSignIn?: OpenApiDevSignIn;
  /** `info.license`; absent → proprietary (`LicenseRef-Proprietary`: no licence granted). */
  readonly license?: { readonly name: string; readonly identifier?: string; readonly url?: string };
}

/**
 * How `atakora dev` tells who calls: a request header naming the caller (`<user>@<tenant>`), the session's user
 * without it.
 *
 * @example
 * ```ts
 * const devSignIn: OpenApiDevSignIn = { header: 'x-atakora-dev-user' };
 * ```
 */
export interface OpenApiDevSignIn {
  readonly header: string;
}
