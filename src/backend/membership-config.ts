import {
  DEFAULT_MEMBERSHIP_ROLES,
  MAX_DELETE_AFTER_DAYS,
  MAX_ORGANIZATIONS_PER_USER,
  OWNER_ROLE,
} from '../contract/members.js';
import type { AuthConfig, NormalizedConfig, TenantsConfig } from '../model/config.js';
import { AtakoraError } from '../model/errors.js';
import { TENANT_ADMIN_ROLE } from '../model/runtime-manifest.js';
import { normalizeEmail } from './email-config.js';
import { normalizeApiKeys } from './api-keys-config.js';
import { isPageUrl as isAcceptUrl } from './page-url.js';

type Plans = Pick<
  NonNullable<NormalizedConfig['tenants']>,
  'plans' | 'defaultPlan' | 'perUser' | 'billing'
>;

const invalid = (message: string, path: readonly (string | number)[], resolution: string) =>
  new AtakoraError('TENANTS_MEMBERSHIP_INVALID', message, {
    path: ['config', ...path],
    resolution,
  });

/**
 * `tenants: { by: 'membership', … }` after its rules (DESIGN §2, "Tenants by membership"): signed-in callers
 * (not `auth: 'none'`), no `allowedTenants: 'registry'` (the registry holds organizations, not directories), no
 * `signUp` (who creates organizations is `createTenants`), roles distinct role names other than `Owner` and
 * `TenantAdmin`. Every refusal is TENANTS_MEMBERSHIP_INVALID naming the key.
 *
 * @example
 * ```ts
 * normalizeMembership(undefined, { by: 'membership', plans: { free: {} }, defaultPlan: 'free' }, plans);
 * // { plans, defaultPlan: 'free', signUp: 'invite', membership: { roles: ['Admin', 'Member'], createTenants: 'operator' } }
 * ```
 */
export function normalizeMembership(
  auth: 'none' | AuthConfig | undefined,
  tenants: TenantsConfig,
  plans: () => Plans,
): NonNullable<NormalizedConfig['tenants']> {
  if (auth === 'none')
    throw invalid(
      "tenants.by 'membership' makes a tenant an organization its signed-in users join, but auth is 'none': " +
        'nobody is signed in, so nobody is a member.',
      ['auth'],
      "Remove auth: 'none' (the API then signs callers in with Entra ID), or remove tenants.by.",
    );
  if (auth?.allowedTenants === 'registry')
    throw invalid(
      "auth.allowedTenants 'registry' admits the directories of the tenant registry, but with tenants.by " +
        "'membership' the registry's records are organizations, not directories.",
      ['auth', 'allowedTenants'],
      "Admit directories with auth.allowedTenants: 'any' (or a list of tenant ids), or leave it out for your own " +
        'directory alone; organizations are created with POST api/tenants or atakora tenant add.',
    );
  if (tenants.signUp !== undefined)
    throw invalid(
      'tenants.signUp registers a directory on its first request; with tenants.by ' +
        "'membership' organizations are created, not signed up.",
      ['tenants', 'signUp'],
      "Remove signUp and say who creates organizations: createTenants: 'any-user' | 'operator'.",
    );
  const roles = tenants.roles ?? DEFAULT_MEMBERSHIP_ROLES;
  roles.forEach((role, i) => {
    if (role === OWNER_ROLE || role === TENANT_ADMIN_ROLE)
      throw invalid(
        `tenants.roles[${String(i)}] "${role}" is reserved: ${OWNER_ROLE} is every organization's own role, ` +
          `${TENANT_ADMIN_ROLE} the operator's app role.`,
        ['tenants', 'roles', i],
        `Leave ${role} out of tenants.roles (${OWNER_ROLE} is always there), or name the role otherwise.`,
      );
    if (roles.indexOf(role) !== i)
      throw invalid(
        `tenants.roles[${String(i)}] "${role}" is named twice.`,
        ['tenants', 'roles', i],
        'Name each role once.',
      );
  });
  const max = tenants.maxOrganizationsPerUser;
  if (
    max !== undefined &&
    !(Number.isInteger(max) && max >= 1 && max <= MAX_ORGANIZATIONS_PER_USER)
  )
    throw invalid(
      `tenants.maxOrganizationsPerUser is ${String(max)}: it bounds how many organizations one user may own ` +
        `(create with createTenants 'any-user'), an integer from 1 to ${String(MAX_ORGANIZATIONS_PER_USER)}.`,
      ['tenants', 'maxOrganizationsPerUser'],
      'Write a whole number such as 10 (the default when left out), or leave the key out.',
    );
  const days = tenants.deleteAfterDays;
  if (days !== undefined && !(Number.isInteger(days) && days >= 1 && days <= MAX_DELETE_AFTER_DAYS))
    throw invalid(
      `tenants.deleteAfterDays is ${String(days)}: it is how many days an organization its Owner deleted stays ` +
        `restorable before it may be erased, an integer from 1 to ${String(MAX_DELETE_AFTER_DAYS)}.`,
      ['tenants', 'deleteAfterDays'],
      'Write a whole number of days such as 30 (the default when left out), or leave the key out.',
    );
  const acceptUrl = tenants.acceptUrl;
  if (acceptUrl !== undefined && !isAcceptUrl(acceptUrl))
    throw invalid(
      `tenants.acceptUrl ${JSON.stringify(acceptUrl)} is not the absolute https:// URL of a page: an invitation's ` +
        'link opens it with ?invitation=<token> added, so it must be a page your users can reach.',
      ['tenants', 'acceptUrl'],
      "Write the landing page's URL, e.g. 'https://app.contoso.com/join' (http:// only on localhost), or leave " +
        "the key out to use the backend's StaticSite.",
    );
  if (tenants.site !== undefined && !/^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(tenants.site))
    throw invalid(
      `tenants.site ${JSON.stringify(tenants.site)} is no component key: it names the StaticSite invitation ` +
        'links open, by its key in defineBackend.',
      ['tenants', 'site'],
      "Write the site's key, e.g. site: 'web' for defineBackend({ web: StaticSite.define(…) }).",
    );
  const { perUser, billing, ...rest } = plans();
  return {
    ...rest,
    signUp: 'invite',
    ...(perUser ? { perUser } : {}),
    ...(billing ? { billing } : {}),
    membership: {
      roles: [...roles],
      createTenants: tenants.createTenants ?? 'operator',
      ...(max !== undefined ? { maxOrganizationsPerUser: max } : {}),
      ...(days !== undefined ? { deleteAfterDays: days } : {}),
      ...(tenants.email !== undefined ? { email: normalizeEmail(tenants.email) } : {}),
      ...(acceptUrl !== undefined ? { acceptUrl } : {}),
      ...(tenants.site !== undefined ? { site: tenants.site } : {}),
      ...(tenants.apiKeys !== undefined
        ? { apiKeys: normalizeApiKeys(tenants.apiKeys, roles) }
        : {}),
    },
  };
}
