import type { PlanIssue } from '../../model/plan.js';
import { type RuntimeEntity, TENANT_ADMIN_ROLE } from '../../model/runtime-manifest.js';
import { DEFAULT_API_SCOPE } from '../../kit/pure/entra.js';

/** What the sign-in checks read of the backend config. */
interface SignInConfig {
  readonly auth: {
    readonly enabled: boolean;
    readonly clientId?: string;
    readonly appRegistration: boolean;
    readonly signInAudience?: 'AzureADMyOrg' | 'AzureADMultipleOrgs' | 'customers';
    readonly scope?: string;
    readonly allowedTenants?: unknown;
  };
  readonly tenancy: { readonly claim: string; readonly trustGatewayHeader: boolean };
  readonly tenants?: { readonly membership?: { readonly roles: readonly string[] } };
}

/**
 * The app roles the CrudApis' access rules name, sorted and unique: what the API registration declares.
 *
 * @example
 * ```ts
 * rolesOf([{ ...entity, access: [{ allow: 'role', role: 'NoteAdmin' }] }]); // ['NoteAdmin']
 * ```
 */
export function rolesOf(entities: readonly RuntimeEntity[]): string[] {
  const roles = new Set<string>();
  for (const e of entities)
    for (const r of e.access ?? []) if (r.allow === 'role') roles.add(r.role);
  return [...roles].sort();
}

/**
 * What the plan says about sign-in and access rules:
 * - `TENANCY_SINGLE_DIRECTORY` (warning): CrudApis partitioned by `/tenantId` — a multi-tenant design — take the
 *   tenant from `tid` under a single-tenant registration, with neither a custom tenant claim nor a trusted
 *   gateway: every caller carries the deploying directory's `tid`, so all of them share one tenant.
 * - `AUTH_ROLE_UNDECLARED` (error): role rules with `auth: 'none'`, where no token, hence no role, ever arrives.
 * - `AUTH_ROLE_SCOPE_COLLISION` (error): a role whose value is the API scope's (`auth.scope`, default
 *   `user_impersonation`): one registration cannot hold both, azuread refuses it at plan ("duplicate value found").
 * - `AUTH_ROLES_EXTERNAL` (warning): role rules while the stack creates no registration (`auth.clientId` or
 *   `appRegistration: false`): the roles must be added to that registration by hand.
 *
 * @example
 * ```ts
 * accessIssues(entities, config); // [{ severity: 'warning', code: 'TENANCY_SINGLE_DIRECTORY', … }]
 * ```
 */
export function accessIssues(
  entities: readonly RuntimeEntity[],
  config: SignInConfig | undefined,
): PlanIssue[] {
  if (!config) return [];
  // Tenants by membership: roles are the memberships', the tenant an organization (membership-issues.ts).
  if (config.tenants?.membership) return tenantAdminIssues(config);
  const issues: PlanIssue[] = [];
  const { auth, tenancy } = config;
  const byTenantKey = entities
    .filter((e) => e.partitionKey === '/tenantId')
    .map((e) => e.componentId)
    .sort();
  if (
    auth.enabled &&
    (auth.signInAudience ?? 'AzureADMyOrg') === 'AzureADMyOrg' &&
    tenancy.claim === 'tid' &&
    !tenancy.trustGatewayHeader &&
    byTenantKey.length > 0
  ) {
    issues.push({
      severity: 'warning',
      code: 'TENANCY_SINGLE_DIRECTORY',
      components: byTenantKey,
      path: ['config', 'auth', 'signInAudience'],
      message:
        `${byTenantKey.join(', ')} ${byTenantKey.length === 1 ? 'is' : 'are'} partitioned by tenant, and the ` +
        `tenant is the caller's tid claim, but the API registration is single-tenant (AzureADMyOrg): every ` +
        `caller signs in to the deploying directory and carries its tid, so all callers share one tenant.`,
      resolution:
        "For customers in their own directories set auth: { signInAudience: 'AzureADMultipleOrgs', " +
        'allowedTenants: [...] }; for one directory shared by customers take the tenant from a claim you ' +
        "assign (tenancy: { claim: 'extension_tenant' }) or from a trusted gateway (tenancy: { " +
        'trustGatewayHeader: true }). See docs/sign-in.md#multi-tenant.',
    });
  }
  const roles = rolesOf(entities);
  const users = entities
    .filter((e) => e.access?.some((r) => r.allow === 'role'))
    .map((e) => e.componentId)
    .sort();
  if (roles.length > 0 && !auth.enabled) {
    issues.push({
      severity: 'error',
      code: 'AUTH_ROLE_UNDECLARED',
      components: users,
      path: ['config', 'auth'],
      message:
        `${users.join(', ')} allow${users.length === 1 ? 's' : ''} app roles (${roles.join(', ')}), but with ` +
        `auth: 'none' no token, and so no role, ever reaches the API: those rules could never allow anything.`,
      resolution:
        'Turn authentication on (leave auth out) so the stack declares the roles on the API registration, or ' +
        'replace the role rules.',
    });
  } else if (roles.length > 0 && (auth.clientId !== undefined || !auth.appRegistration)) {
    issues.push({
      severity: 'warning',
      code: 'AUTH_ROLES_EXTERNAL',
      components: users,
      path: ['config', 'auth', 'clientId'],
      message:
        `${users.join(', ')} allow${users.length === 1 ? 's' : ''} app roles (${roles.join(', ')}) of an API ` +
        `registration the stack does not create: declare each on it (App roles, value = the role name, allowed ` +
        `member types Users/Groups), or the rules never match.`,
      resolution:
        `Add the app roles ${roles.join(', ')} to the registration ${auth.clientId ?? '(auth.clientId)'} ` +
        `(docs/sign-in.md#roles shows the portal steps and the az commands), then assign them to users or ` +
        `groups.`,
    });
  }
  // azuread 3.7.0 internal/services/applications/applications.go (applicationValidateRolesScopes): an app role and
  // a delegated scope of one application with the same value are "duplicate value found" (compared exactly).
  const scope = auth.scope;
  const clashing =
    scope !== undefined &&
    auth.enabled &&
    auth.clientId === undefined &&
    auth.appRegistration &&
    roles.includes(scope);
  if (clashing) {
    const owners = entities
      .filter((e) => e.access?.some((r) => r.allow === 'role' && r.role === scope))
      .map((e) => e.componentId)
      .sort();
    issues.push({
      severity: 'error',
      code: 'AUTH_ROLE_SCOPE_COLLISION',
      components: owners,
      path: ['config', 'auth', 'scope'],
      message: `${owners.join(', ')} allow${owners.length === 1 ? 's' : ''} the app role "${scope}", which is also the value of the API's delegated scope (auth.scope${scope === DEFAULT_API_SCOPE ? `, default "${DEFAULT_API_SCOPE}"` : ''}): Entra ID refuses an app registration whose role and scope share a value, so Terraform would stop at its plan.`,
      resolution:
        `Rename the role in the access rules, or give the scope another name: auth: { scope: ` +
        `'${scope === 'access_as_user' ? 'api.access' : 'access_as_user'}' }.`,
    });
  }
  issues.push(...tenantAdminIssues(config));
  return issues;
}

/**
 * `AUTH_ROLES_EXTERNAL` for the TenantAdmin API: with `allowedTenants: 'registry'` the API admits the home
 * directory's holders of the `TenantAdmin` app role, which the stack declares only on a registration it creates.
 */
function tenantAdminIssues(config: SignInConfig): PlanIssue[] {
  const { auth } = config;
  if (!(auth.allowedTenants === 'registry' || config.tenants?.membership) || !auth.enabled)
    return [];
  if (auth.clientId === undefined && auth.appRegistration) return [];
  return [
    {
      severity: 'warning',
      code: 'AUTH_ROLES_EXTERNAL',
      components: [],
      path: ['config', 'auth', 'clientId'],
      message:
        `The tenant registry's TenantAdmin API (api/tenants) admits holders of the ${TENANT_ADMIN_ROLE} app role ` +
        'of your own directory, but the stack creates no API registration to declare it on: until the role is ' +
        'added to your registration, nobody can manage the registry over HTTP (the CLI still can).',
      resolution:
        `Add the app role ${TENANT_ADMIN_ROLE} (allowed member types Users/Groups) to the registration ` +
        `${auth.clientId ?? '(auth.clientId)'} and assign it to your operators (docs/tenants.md, "The TenantAdmin ` +
        'API").',
    },
  ];
}
