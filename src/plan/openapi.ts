import { openApiDocument, type OpenApiDocument } from '../contract/openapi.js';
import type { OpenApiApp, OpenApiSecurity } from '../contract/openapi/openapi-input.js';
import type { ResourcePlan } from '../model/plan.js';
import { mergedConfigOf } from '../resources/types.js';
import { httpFunctionsOf } from '../kit/pure/http-functions.js';
import { MEMBERS, TENANT_REGISTRY } from '../kit/pure/tenant-registry.js';

/**
 * Whether the plan holds the registry's database container `name`: `tenants` (a tenant registry), `members`
 * (tenants by membership).
 */
function plansRegistryContainer(plan: ResourcePlan, name: string): boolean {
  return plan.resources.some((r) => {
    if (r.type !== 'cosmos') return false;
    const databases = r.config['databases'];
    return (
      Array.isArray(databases) &&
      databases.some((d) => {
        const db = d as { name?: unknown; containers?: unknown };
        return (
          db.name === TENANT_REGISTRY.database &&
          Array.isArray(db.containers) &&
          db.containers.some((c) => (c as { name?: unknown }).name === name)
        );
      })
    );
  });
}

/**
 * The API's sign-in as the plan knows it (a CrudApi's or FunctionsApp's `auth` output), or undefined with
 * `auth: 'none'` / no registration. Ids known only after deploy are Terraform expressions.
 *
 * @example
 * ```ts
 * securityOf(plan)?.scope; // 'api://${azuread_application.backend_entra_api.client_id}/user_impersonation'
 * ```
 */
export function securityOf(plan: ResourcePlan): OpenApiSecurity | undefined {
  for (const c of plan.components) {
    const auth = (c.outputs as Record<string, unknown>)['auth'] as
      | { tenantId?: unknown; scope?: unknown }
      | undefined;
    if (auth && typeof auth.tenantId === 'string' && typeof auth.scope === 'string')
      return { tenantId: auth.tenantId, scope: auth.scope };
  }
  return undefined;
}

/**
 * The backend's OpenAPI 3.1 document, from its plan (pure): every Function App's CrudApis (enabled operations
 * only, entity JSON Schemas, list query and paging parameters, ETag / If-Match, problem+json errors) and HTTP
 * functions (with their `requestSchema` / `responseSchema`), served from `https://<app>.azurewebsites.net`, and
 * the Entra OAuth2 scheme with the API scope. What `atakora openapi <entry> [--out file]` prints; each deployed
 * Function App (and `atakora dev`, describing its own sign-in header instead) serves its part at
 * `GET /api/openapi.json`, signed in. Users' tools read it as is: `redocly lint` (recommended) finds nothing,
 * `openapi-typescript` types (default options) compile through `openapi-fetch` for every documented call — object
 * fields settable, defaulted fields optional on input, `$select` items partial, a GET body valid input — and
 * `prism proxy --errors` in front of the runtime reports no violation (docs/front-end.md, "What your tools get").
 *
 * @example
 * ```ts
 * const doc = openApiFromPlan(backend.plan());
 * JSON.stringify(doc, null, 2);
 * ```
 */
export function openApiFromPlan(plan: ResourcePlan): OpenApiDocument {
  const registry = plansRegistryContainer(plan, TENANT_REGISTRY.container);
  const membership = registry && plansRegistryContainer(plan, MEMBERS.container);
  // A Stripe price on a plan goes with the webhook's secret (BILLING_CONFIG_INVALID otherwise): subscriptions.
  const billing =
    registry && (plan.tenantPlans?.plans.some((p) => p.stripePrice !== null) ?? false);
  const apps: OpenApiApp[] = plan.resources
    .filter((r) => r.type === 'functions')
    .map((r) => ({
      url: `https://${r.name}.azurewebsites.net`,
      crudRuntime: r.config['crudRuntime'] === true,
      entities: mergedConfigOf('functions', r).crudEntities,
      functions: httpFunctionsOf(r.config),
      fileStores: mergedConfigOf('functions', r).fileStores ?? [],
      // The runtime serves api/tenant and api/tenants where a registry admits callers.
      ...(registry && r.config['crudRuntime'] === true ? { tenantRoute: true } : {}),
      ...(membership && r.config['crudRuntime'] === true ? { membership: true } : {}),
      ...(billing && r.config['crudRuntime'] === true ? { billing: true } : {}),
      ...(registry && plan.marketplace && r.config['crudRuntime'] === true
        ? { marketplace: true }
        : {}),
      // Agents sign in to organizations (mcp.authorization): their grants' routes, as the manifest gives them.
      ...(membership && plan.mcp?.authorization && r.config['crudRuntime'] === true
        ? { agents: true }
        : {}),
    }));
  const security = securityOf(plan);
  return openApiDocument({
    title: `${plan.backendId} (${plan.environment})`,
    apps,
    ...(security ? { security } : {}),
  });
}
