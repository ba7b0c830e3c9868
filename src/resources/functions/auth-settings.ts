import type {
  FunctionAppFlexConsumptionAuthSettingsV2,
  LinuxFunctionAppAuthSettingsV2,
} from '../../kit/cdktf/azurerm-types.js';
import type { NormalizedConfig } from '../../model/config.js';
import type { HostedFunction } from '../../model/requirements.js';
import { customersIssuer } from '../../kit/pure/external-tenant.js';
import { STRIPE_WEBHOOK_ROUTE } from '../../model/runtime-manifest.js';
import {
  LANDING_OPENID_CONFIGURATION,
  LANDING_PROVIDER,
  MARKETPLACE_LANDING_ROUTE,
  MARKETPLACE_WEBHOOK_ROUTE,
} from '../../model/marketplace.js';

/**
 * The SCIM routes' paths (contract/scim/scim.ts SCIM_ROUTES, which the planner may not import: the accept-site test
 * holds the two together): the identity provider sends an organization's SCIM token, never an Entra token, and the
 * runtime authenticates it (runtime/members/scim/scim-serve.ts). A route with an id is exempted by its collection's
 * path and a trailing `/*`; the base and everything below it last, so a path that names no SCIM endpoint reaches the
 * runtime's catch-all and is answered a SCIM 404 (RFC 7644 §3.12), not App Service's 401. `atakora dev` exempts the
 * same (cli/dev/host/hosts.ts).
 *
 * @example
 * ```ts
 * SCIM_EXCLUDED_PATHS.includes('/api/scim/v2/Users/*'); // true
 * ```
 */
export const SCIM_EXCLUDED_PATHS: readonly string[] = [
  '/api/scim/v2/Users',
  '/api/scim/v2/Users/*',
  '/api/scim/v2/Groups',
  '/api/scim/v2/Groups/*',
  '/api/scim/v2/ServiceProviderConfig',
  '/api/scim/v2/Schemas',
  '/api/scim/v2/Schemas/*',
  '/api/scim/v2/ResourceTypes',
  '/api/scim/v2/ResourceTypes/*',
  '/api/scim/v2',
  '/api/scim/v2/*',
];

/**
 * The `auth_settings_v2` block, valid for both `azurerm_linux_function_app` and
 * `azurerm_function_app_flex_consumption` (same schema in azurerm 4.55).
 */
export type AuthSettingsV2 = LinuxFunctionAppAuthSettingsV2 &
  FunctionAppFlexConsumptionAuthSettingsV2;

/** The issuer endpoint of a multi-tenant API's App Service authentication (see authSettingsFor). */
export const MULTI_TENANT_ISSUER = 'https://login.microsoftonline.com/common/v2.0';

/**
 * The provider's issuer endpoint (`tenantAuthEndpoint`, see {@link authSettingsFor}): the external tenant's
 * `ciamlogin.com` endpoint with customer sign-in, `…/common/v2.0` for a multi-tenant API, else the directory's own.
 * The runtime's door validates tokens against the same (resources/functions/door/door-paths.ts).
 *
 * @example
 * ```ts
 * issuerEndpointOf(config, '72f988bf-…'); // 'https://login.microsoftonline.com/72f988bf-…/v2.0'
 * ```
 */
export function issuerEndpointOf(config: NormalizedConfig, deploymentTenantId: string): string {
  const auth = config.auth;
  if (auth.customers) return customersIssuer(auth.customers);
  if (auth.signInAudience === 'AzureADMultipleOrgs') return MULTI_TENANT_ISSUER;
  return `https://login.microsoftonline.com/${auth.tenantId ?? deploymentTenantId}/v2.0`;
}

/**
 * The `allowedAudiences` of the provider (see {@link authSettingsFor}): `auth.audiences`, else the registration's
 * identifier URI `api://<client id>`.
 *
 * @example
 * ```ts
 * allowedAudiencesOf(config, '1111…'); // ['api://1111…']
 * ```
 */
export function allowedAudiencesOf(config: NormalizedConfig, clientId: string): string[] {
  return config.auth.audiences.length ? [...config.auth.audiences] : [`api://${clientId}`];
}

/** Paths App Service authentication lets through unauthenticated: the platform's health probe and ours. */
export const ANONYMOUS_PATHS = ['/api/health'] as const;

/**
 * The paths of the HTTP functions declared `access: [{ allow: 'anonymous' }]` (literal routes: normalize.ts
 * refuses a template), for `excludedPaths`: App Service authentication would otherwise answer 401 before the
 * function's gate, which admits them, ever runs.
 *
 * @example
 * ```ts
 * anonymousPaths([
 *   {
 *     name: 'Web-ping',
 *     componentId: 'Web',
 *     trigger: 'http',
 *     route: 'ping',
 *     access: [{ allow: 'anonymous' }],
 *   },
 * ]); // ['/api/ping']
 * ```
 */
export function anonymousPaths(hosted: readonly HostedFunction[] | undefined): string[] {
  return (hosted ?? [])
    .filter((f) => f.trigger === 'http' && f.access?.some((r) => r.allow === 'anonymous'))
    .map((f) => `/api/${f.route ?? f.name}`)
    .sort();
}

/**
 * The runtime's own anonymous routes of an app serving the CRUD runtime, each guarded by the runtime itself: with
 * tenants by membership the invitation preview (`GET api/invitations/preview`, contract/members.ts
 * MEMBERSHIP_ROUTES.preview: the invitee has not signed in yet; the route bounds each client address), and with
 * subscriptions Stripe's webhook (`api/billing/stripe`: Stripe sends no token, its `Stripe-Signature` is what the
 * runtime checks, runtime/routes/stripe-webhook.ts), and with tenants by membership the SCIM routes below
 * `api/scim/v2` (authenticated by an organization's SCIM token alone). Everything else of the runtime stays behind
 * sign-in.
 *
 * @example
 * ```ts
 * runtimeAnonymousPaths(config, true); // ['/api/invitations/preview'] with tenants by membership
 * ```
 */
export function runtimeAnonymousPaths(
  config: Pick<NormalizedConfig, 'tenants'> & Partial<Pick<NormalizedConfig, 'mcp'>>,
  crudRuntime: boolean,
): string[] {
  if (!crudRuntime) return [];
  return [
    // mcp.authorization: the token and revocation endpoints authenticate a client by what it holds (the code and
    // its PKCE verifier, the refresh token: RFC 6749 §3.2, RFC 7009 §2.1), never by a token of the API's registration.
    // Their discovery (public metadata and public keys only): the root paths are App Service authentication's in
    // Azure, so the door's 401 names the protected-resource metadata under api/, and OIDC path appending finds the
    // issuer `<origin>/api`'s metadata (MCP 2025-11-25 basic/authorization, "Authorization Server Metadata Discovery").
    ...(config.mcp?.authorization
      ? [
          '/api/oauth/token',
          '/api/oauth/revoke',
          '/api/.well-known/oauth-protected-resource',
          '/api/.well-known/openid-configuration',
          '/api/oauth/jwks',
        ]
      : []),
    // RFC 7591 §3: the registration endpoint is open to clients no one knows yet (no initial access token).
    ...(config.mcp?.authorization?.registration ? ['/api/oauth/register'] : []),
    ...(config.tenants?.membership ? ['/api/invitations/preview', ...SCIM_EXCLUDED_PATHS] : []),
    ...(config.tenants?.billing?.stripe?.webhookSecret !== undefined
      ? [`/api/${STRIPE_WEBHOOK_ROUTE}`]
      : []),
    // Sold on Azure Marketplace: the landing page signs its buyer in itself (the `marketplace` provider below, any
    // directory and personal accounts), and Microsoft's webhook carries a token of the publisher tenant, which the
    // runtime checks (runtime/marketplace/webhook-token.ts): neither is a token of the API's registration.
    ...(config.tenants?.billing?.marketplace !== undefined
      ? [`/api/${MARKETPLACE_LANDING_ROUTE}`, `/api/${MARKETPLACE_WEBHOOK_ROUTE}`]
      : []),
  ];
}

/**
 * App Service authentication ("Easy Auth" v2) for a Function App, or `undefined` for an explicit
 * `auth: 'none'`. Every request but {@link ANONYMOUS_PATHS} must carry a valid Entra ID token for the API's
 * app registration, else App Service answers 401 before the app runs (`unauthenticatedClientAction:
 * Return401`, `excludedPaths` — ARM `GlobalValidation`,
 * https://learn.microsoft.com/rest/api/appservice/web-apps/update-auth-settings-v2#globalvalidation).
 * The client id is `auth.clientId`, else the one of the API registration the stack creates (`createdClientId`);
 * without either no provider is configured, so every such request is refused (plan warning AUTH_CLIENT_ID_MISSING).
 *
 * @example
 * ```ts
 * const authSettingsV2 = authSettingsFor(ctx.config, tenantId);
 * new LinuxFunctionApp(scope, id, { ...props, ...(authSettingsV2 ? { authSettingsV2 } : {}) });
 * ```
 */
export function authSettingsFor(
  config: NormalizedConfig,
  deploymentTenantId: string,
  createdClientId?: string,
  anonymous: readonly string[] = [],
  landingClientId?: string,
): AuthSettingsV2 | undefined {
  const auth = config.auth;
  if (!auth.enabled) return undefined;
  const clientId = auth.clientId ?? createdClientId;
  return {
    authEnabled: true,
    requireAuthentication: true,
    unauthenticatedAction: 'Return401',
    requireHttps: true,
    excludedPaths: [...ANONYMOUS_PATHS, ...anonymous],
    ...(clientId
      ? {
          defaultProvider: 'azureactivedirectory',
          activeDirectoryV2: {
            clientId,
            // v2 endpoint of the issuing tenant (azurerm docs: tenant_auth_endpoint, which the provider maps to ARM's
            // registration.openIdIssuer: internal/services/appservice/helpers/auth_v2_schema.go @v4.55.0). A
            // multi-tenant API takes tokens of every directory: each carries its customer's issuer
            // (https://login.microsoftonline.com/<customer tid>/v2.0), so the issuer is the `common` endpoint. Learn,
            // "Configure Microsoft Entra authentication" (configure-authentication-provider-aad), Issuer URL: "Any
            // configuration other than a tenant-specific endpoint will be treated as multi-tenant. In multi-tenant
            // configurations, no validation of the issuer or tenant ID is performed by the system" — a tenant-specific
            // issuer here would refuse every customer's token (401). Which directories may call is then ours to check
            // (its "Authorize requests" tip): the runtime admits only auth.allowedTenants with a problem+json 403
            // (src/runtime/caller/tenant-admission.ts). The platform's own WEBSITE_AUTH_AAD_ALLOWED_TENANTS (same page,
            // "Use a built-in authorization policy") is not set: it holds at most 10 tenants and answers a bare 403.
            // Customers: their external tenant's own v2.0 endpoint on ciamlogin.com (kit/pure/external-tenant.ts);
            // azurerm takes any http(s) URL here (validation.IsURLWithHTTPorHTTPS, auth_v2_schema.go @v4.55.0).
            tenantAuthEndpoint: issuerEndpointOf(config, deploymentTenantId),
            // v2 access tokens (the registration's requested_access_token_version 2) carry aud = the API's client id,
            // which "is *always* implicitly considered to be an allowed audience" (same page, Allowed Token
            // Audiences); the identifier URI is listed for v1-style callers. The same for every issuing directory.
            allowedAudiences: allowedAudiencesOf(config, clientId),
          },
        }
      : {}),
    // Sold on Azure Marketplace: the landing page's sign-in, a second provider beside the API's — App Service signs a
    // buyer in at /.auth/login/marketplace (kit/cdktf/marketplace-registration.ts registers it for any directory and
    // personal Microsoft accounts, the `common` endpoint) and hands the runtime the principal. azurerm v4.55.0
    // custom_oidc_v2 (its client secret read from the setting it names, MARKETPLACE_PROVIDER_AUTHENTICATION_SECRET).
    ...(landingClientId
      ? {
          customOidcV2: [
            {
              name: LANDING_PROVIDER,
              clientId: landingClientId,
              openidConfigurationEndpoint: LANDING_OPENID_CONFIGURATION,
              nameClaimType: 'name',
              scopes: ['openid', 'profile', 'email'],
            },
          ],
        }
      : {}),
    // An API needs no token store: callers send bearer tokens on every request.
    login: { tokenStoreEnabled: false },
  };
}
