import type { NormalizedConfig } from '../../model/config.js';
import type { PlannedDeploy, ResourcePlan } from '../../model/plan.js';
import { compare } from './resources/merge-strategies.js';
import { frozenPlainData } from './plain-data.js';
import { sharedKey } from './names/resource-key.js';
import { tfName } from './names/terraform-names.js';
import { customersAuthority } from './external-tenant.js';

// Microsoft Entra app registrations (azuread provider 3.7.0, @cdktf/provider-azuread 14.3.1). They are no
// planned resources of their own: the API's registration is part of the Function App that hosts the API (the
// plan lists it in that app's `deploys`), a site's single-page-app registration part of its static site. So
// the plan stays honest while the shared-resource counts (`summary.resources`) keep counting Azure resources.

/**
 * The name of the API's delegated scope when `auth.scope` is left out. A role of the access rules with this value
 * is a plan error (AUTH_ROLE_SCOPE_COLLISION), never a registration Entra ID refuses.
 *
 * @example
 * ```ts
 * `api://${clientId}/${DEFAULT_API_SCOPE}`; // 'api://…/user_impersonation'
 * ```
 */
export const DEFAULT_API_SCOPE = 'user_impersonation';

/**
 * Whether the stack creates the app registrations: authentication on, no existing `clientId`, and
 * `appRegistration` not turned off.
 *
 * @example
 * ```ts
 * createsRegistrations(normalizeConfig({}));                                  // true
 * createsRegistrations(normalizeConfig({ auth: { clientId: '1111…' } }));     // false
 * ```
 */
export function createsRegistrations(config: NormalizedConfig): boolean {
  return config.auth.enabled && !config.auth.clientId && config.auth.appRegistration;
}

/**
 * Terraform logical names of the registrations (shared by the plan's deploys, apply and the handles).
 *
 * @example
 * ```ts
 * entraNames('backend').api;                              // 'backend_entra_api'
 * entraNames('backend').spa('staticsite:adminportal');    // 'backend_staticsite_adminportal_spa'
 * ```
 */
export function entraNames(backendId: string): EntraNames {
  // Asked by every API handle's outputs (10,000 times a plan at 10,000 CrudApis) for the same backend: four
  // names and three closures each time showed in the planner's profile. Bounded, like settingPrefix's memo.
  let names = namesByBackend.get(backendId);
  if (names === undefined) {
    if (namesByBackend.size >= 1_000) namesByBackend.clear();
    names = Object.freeze(namesOf(backendId));
    namesByBackend.set(backendId, names);
  }
  return names;
}

function namesOf(backendId: string) {
  const api = tfName(backendId, 'entra', 'api');
  return {
    api,
    apiUri: tfName(api, 'uri'),
    apiPrincipal: tfName(api, 'sp'),
    clientConfig: tfName(backendId, 'client_config'),
    spa: (siteKey: string) => tfName(backendId, siteKey, 'spa'),
    spaPrincipal: (siteKey: string) => tfName(backendId, siteKey, 'spa', 'sp'),
    preAuthorized: (siteKey: string) => tfName(backendId, siteKey, 'spa', 'preauth'),
  };
}

/** The registrations' Terraform logical names for one backend (see {@link entraNames}). */
export type EntraNames = Readonly<ReturnType<typeof namesOf>>;

const namesByBackend = new Map<string, EntraNames>();

/**
 * The Function App whose planned resource lists the API registration: `functions:shared` when planned, else the
 * first by key. Every Function App of the backend validates tokens for that one registration.
 *
 * @example
 * ```ts
 * apiHostKey(['functions:python-3-12', 'functions:shared']); // 'functions:shared'
 * ```
 */
export function apiHostKey(functionsKeys: Iterable<string>): string | undefined {
  const keys = [...new Set(functionsKeys)].sort(compare);
  return keys.includes(sharedKey('functions')) ? sharedKey('functions') : keys[0];
}

/** The API registration's Terraform resources: the application, its identifier URI, its service principal. */
export function apiRegistrationDeploys(backendId: string): PlannedDeploy[] {
  const n = entraNames(backendId);
  return [
    { terraformType: 'azuread_application', name: n.api },
    { terraformType: 'azuread_application_identifier_uri', name: n.apiUri },
    { terraformType: 'azuread_service_principal', name: n.apiPrincipal },
  ];
}

/**
 * A site's single-page-app registration: the application, its service principal, its
 * pre-authorization on the API scope.
 */
export function spaRegistrationDeploys(backendId: string, siteKey: string): PlannedDeploy[] {
  const n = entraNames(backendId);
  return [
    { terraformType: 'azuread_application', name: n.spa(siteKey) },
    { terraformType: 'azuread_application_pre_authorized', name: n.preAuthorized(siteKey) },
    { terraformType: 'azuread_service_principal', name: n.spaPrincipal(siteKey) },
  ];
}

/**
 * The id of the API's delegated scope. Entra needs a GUID chosen by the caller (Graph `permissionScope.id`,
 * azuread `oauth2_permission_scope.id`); derived from the backend id and the scope name, it stays the same
 * on every plan, so a second `terraform plan` is clean.
 *
 * @example
 * ```ts
 * scopeId('backend', 'user_impersonation'); // 'xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx', always the same
 * ```
 */
export function scopeId(backendId: string, scope: string): string {
  return stableGuid(`${backendId}|scope|${scope}`);
}

/**
 * The id of an app role the API registration declares for an access rule (`{ allow: 'role', role }`): Entra
 * needs a GUID chosen by the caller (Graph `appRole.id`, azuread `app_role.id`), so, like {@link scopeId}, it
 * is derived from the backend id and the role's value and stays the same on every plan.
 *
 * @example
 * ```ts
 * appRoleId('backend', 'NoteAdmin'); // 'xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx', always the same
 * ```
 */
export function appRoleId(backendId: string, role: string): string {
  return stableGuid(`${backendId}|role|${role}`);
}

/** A version-4-shaped GUID from 128 bits of FNV-1a over `input` (four differently seeded rounds). */
function stableGuid(input: string): string {
  let hex = '';
  for (let part = 0; part < 4; part++) {
    let h = (0x811c9dc5 ^ Math.imul(part + 1, 0x9e3779b1)) >>> 0;
    for (let i = 0; i < input.length; i++) h = Math.imul(h ^ input.charCodeAt(i), 0x01000193) >>> 0;
    hex += h.toString(16).padStart(8, '0');
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * What a client needs to call the API (handles' `auth`, and the Terraform outputs): the API's client id, the
 * issuing tenant, the scope to ask a token for, and the API's base URL. Values the plan cannot know are
 * Terraform expressions (`${azuread_application.….client_id}`) that resolve in the stack and in its outputs.
 *
 * @example
 * ```ts
 * const backend = defineBackend({ userApi: users });
 * const { clientId, tenantId, scope, apiBaseUrl } = backend.components.userApi.auth!;
 * ```
 */
export interface ApiAuthInfo {
  /** Application (client) id of the API's registration. */
  readonly clientId: string;
  /** The Entra tenant that issues the tokens. */
  readonly tenantId: string;
  /** The delegated scope a client asks a token for: `api://<client id>/user_impersonation`. */
  readonly scope: string;
  /** `https://<function app>.azurewebsites.net/api` */
  readonly apiBaseUrl: string;
}

/**
 * A static site's sign-in values: its own single-page-app registration (`clientId`), the API's (`apiClientId`),
 * the tenant, the scope, the API base URL and the redirect URIs registered for it. See docs/sign-in.md.
 *
 * @example
 * ```ts
 * const backend = defineBackend({
 *   userApi: users,
 *   adminPortal: StaticSite.define('AdminPortal', { sourceDirectory: './admin' }),
 * });
 * const { clientId, tenantId, scope } = backend.components.adminPortal.auth!;
 * ```
 */
export interface SiteAuthInfo extends ApiAuthInfo {
  readonly apiClientId: string;
  readonly redirectUris: readonly string[];
  /**
   * MSAL.js's `authority`: `https://login.microsoftonline.com/<tenant>` for a single-tenant backend,
   * `https://login.microsoftonline.com/organizations` (any work or school directory) for
   * `auth.signInAudience: 'AzureADMultipleOrgs'`, `https://<subdomain>.ciamlogin.com/<tenant id>` for customers of
   * an external tenant — see {@link siteAuthority}.
   */
  readonly authority: string;
}

/** The Entra ID sign-in host of the global cloud (Learn, "Microsoft Entra authentication endpoints"). */
const LOGIN_HOST = 'https://login.microsoftonline.com';

/**
 * The authority a site's MSAL.js signs in against. A multi-tenant backend's users come from their own
 * directories: against the publisher's tenant they would be refused (AADSTS50020, "user account from identity
 * provider does not exist in tenant"), so the authority is `organizations` — "Sign in users with work and
 * school accounts" (Learn, "Client application configuration (MSAL)", Authority: `…/organizations/`; MSAL's
 * AzureAdMultipleOrgs audience maps to it). Entra then issues the token in the user's home tenant (its `tid`).
 *
 * @example
 * ```ts
 * siteAuthority(
 *   normalizeConfig({}),
 *   '${data.azurerm_client_config.backend_client_config.tenant_id}',
 * ); // 'https://login.microsoftonline.com/${…tenant_id}'
 * siteAuthority(
 *   normalizeConfig({ auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'any' } }),
 *   't',
 * ); // 'https://login.microsoftonline.com/organizations'
 * ```
 */
export function siteAuthority(config: NormalizedConfig, tenantId: string): string {
  // Customers sign in on their external tenant's own host (kit/pure/external-tenant.ts).
  if (config.auth.customers) return customersAuthority(config.auth.customers);
  return `${LOGIN_HOST}/${config.auth.signInAudience === 'AzureADMultipleOrgs' ? 'organizations' : tenantId}`;
}

/**
 * The API's sign-in values, or undefined when there is nothing to sign in to (`auth: 'none'`, or no
 * registration created and no `clientId` given).
 *
 * @example
 * ```ts
 * apiAuthInfo(config, 'https://func-backend-dev-tgtxxx.azurewebsites.net'); // { clientId: '${azuread_application.backend_entra_api.client_id}', … }
 * ```
 */
export function apiAuthInfo(config: NormalizedConfig, apiHost: string): ApiAuthInfo | undefined {
  if (!config.auth.enabled) return undefined;
  const n = entraNames(config.backendId);
  const clientId =
    config.auth.clientId ??
    (createsRegistrations(config) ? `\${azuread_application.${n.api}.client_id}` : undefined);
  if (!clientId) return undefined;
  // An existing registration's scope lives under its first audience when one is given (its identifier URI).
  const resource = config.auth.clientId
    ? (config.auth.audiences[0] ?? `api://${clientId}`)
    : `api://${clientId}`;
  return {
    clientId,
    tenantId: config.auth.tenantId ?? `\${data.azurerm_client_config.${n.clientConfig}.tenant_id}`,
    scope: `${resource}/${config.auth.scope}`,
    apiBaseUrl: apiHost ? `${apiHost}/api` : '',
  };
}

/**
 * A site's sign-in values when the stack creates its single-page-app registration, else undefined.
 *
 * @example
 * ```ts
 * siteAuthInfo(config, 'staticsite:adminportal', apiHost, ['https://admin.example.com']);
 * ```
 */
export function siteAuthInfo(
  config: NormalizedConfig,
  siteKey: string,
  apiHost: string,
  siteOrigins: readonly string[],
): SiteAuthInfo | undefined {
  const api = apiHost && createsRegistrations(config) ? apiAuthInfo(config, apiHost) : undefined;
  if (!api) return undefined;
  return {
    ...api,
    clientId: `\${azuread_application.${entraNames(config.backendId).spa(siteKey)}.client_id}`,
    apiClientId: api.clientId,
    authority: siteAuthority(config, api.tenantId),
    redirectUris: spaRedirectUris(siteOrigins, config),
  };
}

/**
 * A site's redirect URIs: its own origins (Static Web App host, Front Door host, custom domain) and
 * the dev origins.
 */
export function spaRedirectUris(
  siteOrigins: readonly string[],
  config: NormalizedConfig,
): string[] {
  return [...new Set([...siteOrigins.filter((o) => o !== ''), ...config.auth.devOrigins])].sort(
    compare,
  );
}

/**
 * `{ auth }` for an API handle's outputs, or `{}` when there is nothing to sign in to.
 *
 * @example
 * ```ts
 * return { apiEndpoint, ...authOutput(ctx.config, host) };
 * ```
 */
export function authOutput(config: NormalizedConfig, apiHost: string): AuthOutput {
  // Every API handle of one app has the same values: one frozen plain object per config and host, which the
  // plan keeps by identity in each component's outputs (10,000 CrudApis: one object, not 10,000).
  let byHost = authOutputs.get(config);
  if (!byHost) authOutputs.set(config, (byHost = new Map<string, AuthOutput>()));
  let out = byHost.get(apiHost);
  if (!out) {
    const info = apiAuthInfo(config, apiHost);
    out = frozenPlainData(info ? { auth: { ...info } } : {});
    byHost.set(apiHost, out);
  }
  return out;
}

type AuthOutput = { readonly auth?: { readonly [k: string]: string } };
// A memo of the pure planner keyed by a config object (plain data), not construct state: the planner never sees
// a construct tree, and the values depend on the config and host alone, so any plan built from it may share them.
const authOutputs = new WeakMap<NormalizedConfig, Map<string, AuthOutput>>();

// The display names of the app registrations a stack creates: apply names them so (kit/cdktf/entra-registrations.ts)
// and `atakora auth setup` finds them so in the external tenant, where Terraform state is not at hand.

/**
 * The API registration's display name: `<backendId>-<environment>-api`.
 *
 * @example
 * ```ts
 * apiDisplayName('shop', 'prod'); // 'shop-prod-api'
 * ```
 */
export function apiDisplayName(backendId: string, environment: string): string {
  return `${backendId}-${environment}-api`;
}

/**
 * A site's single-page-app registration's display name: `<backendId>-<environment>-<component id>`.
 *
 * @example
 * ```ts
 * spaDisplayName('shop', 'prod', 'Storefront'); // 'shop-prod-Storefront'
 * ```
 */
export function spaDisplayName(
  backendId: string,
  environment: string,
  componentId: string,
): string {
  return `${backendId}-${environment}-${componentId}`;
}

/** One registration the plan says apply creates. */
export interface PlannedRegistration {
  /** `api`: the API's; `spa`: a static site's. */
  readonly kind: 'api' | 'spa';
  readonly displayName: string;
  /** The azuread_application's Terraform name. */
  readonly terraformName: string;
}

/**
 * The app registrations the plan's deploys list (the API's, then each site's, by Terraform name), with the display
 * names apply gives them. Pure.
 *
 * @example
 * ```ts
 * plannedRegistrations(plan).map((r) => r.displayName); // ['shop-prod-api', 'shop-prod-Storefront']
 * ```
 */
export function plannedRegistrations(plan: ResourcePlan): PlannedRegistration[] {
  const n = entraNames(plan.backendId);
  const out: PlannedRegistration[] = [];
  for (const r of plan.resources)
    for (const d of r.deploys) {
      if (d.terraformType !== 'azuread_application') continue;
      if (d.name === n.api)
        out.push({
          kind: 'api',
          displayName: apiDisplayName(plan.backendId, plan.environment),
          terraformName: d.name,
        });
      else if (r.type === 'staticsite' && typeof r.config['componentId'] === 'string')
        out.push({
          kind: 'spa',
          displayName: spaDisplayName(plan.backendId, plan.environment, r.config['componentId']),
          terraformName: d.name,
        });
    }
  return out.sort((a, b) =>
    a.kind !== b.kind ? (a.kind === 'api' ? -1 : 1) : a.terraformName < b.terraformName ? -1 : 1,
  );
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The tenant the plan's registrations are created in when the config names it — `auth.tenantId`, or a customer
 * sign-in's external tenant (the handles' `auth.tenantId`, a GUID) — else undefined: the deployer's own tenant (the
 * azuread provider's default). Pure.
 *
 * @example
 * ```ts
 * registrationTenant(customersPlan); // '6f1c2b3a-0000-4000-8000-00000000c1a0'
 * registrationTenant(plainPlan);     // undefined
 * ```
 */
export function registrationTenant(plan: ResourcePlan): string | undefined {
  for (const c of plan.components) {
    const tenantId = (c.outputs['auth'] as { tenantId?: unknown } | undefined)?.tenantId;
    if (typeof tenantId === 'string' && GUID.test(tenantId)) return tenantId.toLowerCase();
  }
  return undefined;
}
