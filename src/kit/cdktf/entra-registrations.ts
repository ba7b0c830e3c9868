import { TENANT_ADMIN_ROLE } from '../../model/runtime-manifest.js';
import { VERIFIED_EMAIL_OPTIONAL_CLAIMS } from '../../model/entra-claims.js';
import type { Application } from '@cdktf/provider-azuread/lib/application/index.js';
import type { DataAzureadClientConfig } from '@cdktf/provider-azuread/lib/data-azuread-client-config/index.js';
import { named, type ProvisionContext } from './provision-context.js';
import { azuread } from './azuread-modules.js';
import { cdktf } from './cdk-modules.js';
import { azureadProviderOf } from './azuread-provider.js';
import { clientConfig } from './client-config.js';
import { tfName } from '../pure/names/terraform-names.js';
import {
  apiDisplayName,
  apiHostKey,
  appRoleId,
  entraNames,
  scopeId,
  spaDisplayName,
} from '../pure/entra.js';
import { hasTenantRegistry } from '../pure/tenant-registry.js';
import { customersAuthority, registrationAudience } from '../pure/external-tenant.js';
import type { JsonValue } from '../../model/plan.js';
import type { JsonObject } from '../pure/resources/resource-type.js';
import { AtakoraError } from '../../model/errors.js';

const isJsonObject = (v: JsonValue | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
// Array.isArray narrows to any[]: the plan's JSON arrays hold JSON values.
const jsonArray = (v: JsonValue | undefined): readonly JsonValue[] =>
  Array.isArray(v) ? (v as readonly JsonValue[]) : [];

// Resource arguments follow the azuread provider 3.7.0 documentation (terraform-provider-azuread, docs/resources/
// application.md, application_identifier_uri.md, application_pre_authorized.md, service_principal.md @v3.7.0).

/** The API's registration as the Function Apps and the sites' registrations use it. */
export interface ApiRegistration {
  readonly application: Application;
  /** `${azuread_application.<name>.client_id}` */
  readonly clientId: string;
  /** The delegated scope's id (fixed, see scopeId). */
  readonly scopeId: string;
}

/**
 * The API's app registration, created on first use by whichever Function App is provisioned first (every app of
 * the backend validates tokens for it): the application with one delegated scope and v2 access tokens, its
 * identifier URI `api://<client id>` (a form Entra accepts in every tenant, Learn "Restrictions on identifier URIs
 * of Microsoft Entra applications"), its service principal (without one no token can be issued for it in the
 * tenant), and the Terraform outputs a client is configured from.
 *
 * @example
 * ```ts
 * const api = apiRegistration(ctx);
 * authSettingsFor(ctx.config, tenantId, api.clientId);
 * ```
 */
export function apiRegistration(ctx: ProvisionContext): ApiRegistration {
  const n = entraNames(ctx.config.backendId);
  const id = scopeId(ctx.config.backendId, ctx.config.auth.scope);
  const existing = ctx.scope.node.tryFindChild(n.api) as Application | undefined;
  if (existing) return { application: existing, clientId: existing.clientId, scopeId: id };
  const provider = azureadProviderOf(ctx);
  const { Application } = azuread('application');
  const { ApplicationIdentifierUri } = azuread('application-identifier-uri');
  const { ServicePrincipal } = azuread('service-principal');
  const owners = [deployer(ctx).objectId];
  const label = `${ctx.config.backendId}-${ctx.config.environment}`;
  const roles = accessRoles(ctx);
  const application = named(
    new Application(ctx.scope, n.api, {
      displayName: apiDisplayName(ctx.config.backendId, ctx.config.environment),
      // Multi-tenant when auth.signInAudience says so (then the runtime admits only auth.allowedTenants); a
      // customer sign-in's registrations are its external tenant's own (kit/pure/external-tenant.ts).
      signInAudience: registrationAudience(ctx.config),
      ...provider,
      // The deployer stays an owner, so a principal holding only Application.ReadWrite.OwnedBy can update it later.
      owners,
      api: {
        // v2 tokens: `aud` is the client id, which App Service authentication always accepts.
        requestedAccessTokenVersion: 2,
        oauth2PermissionScope: [
          {
            id,
            value: ctx.config.auth.scope,
            type: 'User',
            enabled: true,
            adminConsentDisplayName: `Call the ${label} API`,
            adminConsentDescription: `Lets the app call the ${label} API as the signed-in user.`,
            userConsentDisplayName: `Call the ${label} API`,
            userConsentDescription: `Lets the app call the ${label} API as you.`,
          },
        ],
      },
      // One app role per role the CrudApis' access rules name: value = the role, assignable to users and groups
      // (allowed member type User covers group assignment); it then arrives in the token's `roles` claim.
      // azuread 3.7.0 docs/resources/application.md, app_role block; the id is stable (appRoleId). TenantAdmin is
      // assignable to applications too (`Application`: "to other applications … accessing this application in a
      // standalone scenario", azuread v3.7.0 internal/services/applications/application_resource.go): a billing
      // webhook's service principal holds it and calls api/tenants with an app-only token, whose `roles` claim
      // carries it (Learn: access-token-claims-reference, `roles`; the runtime's tenants-route.ts checks it).
      ...(roles.length > 0
        ? {
            appRole: roles.map((role) => ({
              id: appRoleId(ctx.config.backendId, role),
              value: role,
              allowedMemberTypes: role === TENANT_ADMIN_ROLE ? ['Application', 'User'] : ['User'],
              enabled: true,
              displayName: role,
              description:
                role === TENANT_ADMIN_ROLE
                  ? `Manages the ${label} API's tenant registry (api/tenants): registers, changes and suspends tenants.`
                  : `${role} of the ${label} API (access rules { allow: 'role', role: '${role}' }).`,
            })),
          }
        : {}),
      // With organizations (tenants by membership; customers always have them) members accept invitations by their
      // verified email (runtime/caller/verified-email.ts, which reads App Service's principal of the bearer access
      // token): the access token carries `email` and `xms_edov` only when the API asks for them (Learn, "Optional
      // claims reference": xms_edov needs the email claim). Declared here, not added by hand: azuread's
      // optional_claims is Optional, not Computed — its read sets what Entra holds and its update writes the
      // configuration, so the next apply removes a claim added in the admin center (azuread v3.7.0
      // internal/services/applications/application_resource.go, the optional_claims schema, Update and Read). Only
      // the access token: an id token is issued to the client (a SPA registration), never read by the runtime.
      ...(ctx.config.auth.customers || ctx.config.tenants?.membership !== undefined
        ? {
            optionalClaims: {
              accessToken: VERIFIED_EMAIL_OPTIONAL_CLAIMS.map((name) => ({ name })),
            },
          }
        : {}),
      // The identifier URI is its own resource (it needs the client id); the provider's docs ask to ignore it here.
      lifecycle: { ignoreChanges: ['identifier_uris'] },
    }),
    n.api,
  );
  named(
    new ApplicationIdentifierUri(ctx.scope, n.apiUri, {
      applicationId: application.id,
      identifierUri: `api://${application.clientId}`,
      ...provider,
    }),
    n.apiUri,
  );
  named(
    new ServicePrincipal(ctx.scope, n.apiPrincipal, {
      clientId: application.clientId,
      owners,
      ...provider,
    }),
    n.apiPrincipal,
  );
  const tenantId = ctx.config.auth.tenantId ?? clientConfig(ctx).tenantId;
  const output = (name: string, value: string): void => {
    authOutput(ctx, tfName(ctx.config.backendId, 'auth', name), value);
  };
  output('api_client_id', application.clientId);
  output('tenant_id', tenantId);
  output('api_scope', `api://${application.clientId}/${ctx.config.auth.scope}`);
  output('api_base_url', apiBaseUrl(ctx));
  // Onboarding a customer directory: its administrator opens this URL (Learn "Grant tenant-wide admin consent to
  // an application": https://login.microsoftonline.com/{organization}/adminconsent?client_id={client-id}), which
  // creates the API's service principal there. `organizations`: whichever directory the admin signs in to.
  if (ctx.config.auth.signInAudience === 'AzureADMultipleOrgs')
    output('admin_consent_url', adminConsentUrl(application.clientId));
  // Customers sign in on their external tenant's host: what MSAL.js and `atakora auth setup` need.
  if (ctx.config.auth.customers) output('authority', customersAuthority(ctx.config.auth.customers));
  return { application, clientId: application.clientId, scopeId: id };
}

/**
 * Refuse an `auth.clientId` that names another backend's API registration (`${azuread_application.<name>.client_id}`,
 * a handle's value before apply) which this stack does not create: Terraform would refuse the reference, or —
 * read through another stack's state — the stacks could not be planned one without the other. Backends that
 * share one registration (one Front Door in front of them: a token is issued for one audience) go in one stack.
 *
 * @example
 * ```ts
 * checkSharedRegistration(ctx); // throws CONFIG_INVALID when the named registration is not in ctx's stack
 * ```
 */
export function checkSharedRegistration(ctx: ProvisionContext): void {
  const [, registration] =
    /^\$\{azuread_application\.([A-Za-z_][\w-]*)\.client_id\}$/.exec(
      ctx.config.auth.clientId ?? '',
    ) ?? [];
  if (registration === undefined) return;
  const stack = cdktf.TerraformStack.of(ctx.scope);
  const found = stack.node
    .findAll()
    .some(
      (c) =>
        cdktf.TerraformResource.isTerraformResource(c) &&
        c.terraformResourceType === 'azuread_application' &&
        c.friendlyUniqueId === registration,
    );
  if (found) return;
  throw new AtakoraError(
    'CONFIG_INVALID',
    `auth.clientId of backend ${ctx.config.backendId} names the API registration ` +
      `azuread_application.${registration}, which stack ${stack.node.id} does not create.`,
    {
      path: ['config', 'auth', 'clientId'],
      resolution:
        "Add the backend that creates that registration to the same stack first (its handle's auth.clientId " +
        'is what you passed), or name an existing registration by its client id (a GUID).',
    },
  );
}

/**
 * A static site's single-page-app registration: redirect URIs for its origins and the dev origins (the
 * `spa` platform: authorization code flow with PKCE, no secret), allowed to call the API's scope
 * (`required_resource_access`) and pre-authorized on it, so users are not asked to consent to the API.
 *
 * @example
 * ```ts
 * spaRegistration(ctx, 'staticsite:adminportal', 'AdminPortal', [
 *   'https://admin.example.com',
 *   'http://localhost:5173',
 * ]);
 * ```
 */
export function spaRegistration(
  ctx: ProvisionContext,
  siteKey: string,
  componentId: string,
  redirectUris: readonly string[],
): Application {
  const { Application } = azuread('application');
  const { ApplicationPreAuthorized } = azuread('application-pre-authorized');
  const { ServicePrincipal } = azuread('service-principal');
  const n = entraNames(ctx.config.backendId);
  const api = apiRegistration(ctx);
  const owners = [deployer(ctx).objectId];
  const provider = azureadProviderOf(ctx);
  const spa = named(
    new Application(ctx.scope, n.spa(siteKey), {
      displayName: spaDisplayName(ctx.config.backendId, ctx.config.environment, componentId),
      signInAudience: registrationAudience(ctx.config),
      owners,
      ...provider,
      singlePageApplication: { redirectUris: [...redirectUris] },
      requiredResourceAccess: [
        { resourceAppId: api.clientId, resourceAccess: [{ id: api.scopeId, type: 'Scope' }] },
      ],
    }),
    n.spa(siteKey),
  );
  named(
    new ServicePrincipal(ctx.scope, n.spaPrincipal(siteKey), {
      clientId: spa.clientId,
      owners,
      ...provider,
    }),
    n.spaPrincipal(siteKey),
  );
  named(
    new ApplicationPreAuthorized(ctx.scope, n.preAuthorized(siteKey), {
      applicationId: api.application.id,
      authorizedClientId: spa.clientId,
      permissionIds: [api.scopeId],
      ...provider,
    }),
    n.preAuthorized(siteKey),
  );
  authOutput(ctx, tfName(ctx.config.backendId, siteKey, 'auth_client_id'), spa.clientId);
  if (ctx.config.auth.signInAudience === 'AzureADMultipleOrgs') {
    authOutput(
      ctx,
      tfName(ctx.config.backendId, siteKey, 'admin_consent_url'),
      adminConsentUrl(spa.clientId),
    );
  }
  return spa;
}

/**
 * The tenant-wide admin consent URL of a registration, for any work directory (`organizations`).
 *
 * @example
 * ```ts
 * adminConsentUrl('11111111-2222-3333-4444-555555555555');
 * // 'https://login.microsoftonline.com/organizations/adminconsent?client_id=11111111-2222-3333-4444-555555555555'
 * ```
 */
export function adminConsentUrl(clientId: string): string {
  return `https://login.microsoftonline.com/organizations/adminconsent?client_id=${clientId}`;
}

/**
 * A Terraform output under a plain name (`backend_auth_api_client_id`), so `terraform output -raw <name>` reads
 * it as docs/sign-in.md shows; the backend id in the name keeps two backends of one stack apart.
 */
function authOutput(ctx: ProvisionContext, name: string, value: string): void {
  new cdktf.TerraformOutput(ctx.scope, name, { value }).overrideLogicalId(name);
}

/**
 * Every role named by an access rule of a CrudApi of the backend (all Function Apps validate tokens
 * for this registration).
 */
function accessRoles(ctx: ProvisionContext): string[] {
  const roles = new Set<string>();
  // With organizations (tenants by membership) a role rule reads the membership's roles, never the token's: no
  // app role is declared for it, so nobody is led to assign one in Entra that would count for nothing.
  const membership = ctx.config.tenants?.membership !== undefined;
  for (const r of membership ? [] : ctx.plan.resources) {
    if (r.type !== 'functions') continue;
    // Read as JSON (kit/ cannot reach the functions type's typed reader): entities → access → role rules.
    const entities = r.config['crudEntities'];
    for (const e of jsonArray(entities)) {
      const access = isJsonObject(e) ? e['access'] : undefined;
      for (const rule of jsonArray(access)) {
        if (isJsonObject(rule) && rule['allow'] === 'role' && typeof rule['role'] === 'string')
          roles.add(rule['role']);
      }
    }
  }
  // The TenantAdmin API (`api/tenants`) admits the home directory's holders of this role: declared with the
  // registry so that Entra can assign it (azuread 3.7.0 docs/resources/application.md, app_role block).
  if (hasTenantRegistry(ctx.config)) roles.add(TENANT_ADMIN_ROLE);
  return [...roles].sort();
}

/** `https://<app>.azurewebsites.net/api` of the Function App the plan lists the registration under. */
function apiBaseUrl(ctx: ProvisionContext): string {
  const apps = ctx.plan.resources.filter((r) => r.type === 'functions');
  const host = apps.find((a) => a.key === apiHostKey(apps.map((x) => x.key)));
  return host ? `https://${host.name}.azurewebsites.net/api` : '';
}

/** Who Terraform runs as in the directory (owner of what it creates). A data source: no planned deploy. */
export function deployer(ctx: ProvisionContext): DataAzureadClientConfig {
  const { DataAzureadClientConfig } = azuread('data-azuread-client-config');
  const id = tfName(ctx.config.backendId, 'azuread_client_config');
  const existing = ctx.scope.node.tryFindChild(id);
  if (existing instanceof DataAzureadClientConfig) return existing;
  // Under the registrations' provider: in an external tenant the deployer has an object id of its own there.
  return named(new DataAzureadClientConfig(ctx.scope, id, { ...azureadProviderOf(ctx) }), id);
}
