import type {
  RuntimeAuth,
  RuntimeMembership,
  RuntimeTenantRegistry,
} from '../../../src/model/runtime-manifest.js';

/**
 * A multi-tenant sign-in whose admitted directories are the tenant registry's (`allowedTenants: 'registry'` as the
 * runtime gets it): `home`'s directory is the operator's; the registry lives in `atakora/tenants` with the ledger
 * in `atakora/usage`, invite-only, on the `free` plan unless `registry` says otherwise.
 *
 * @example
 * ```ts
 * const policy = registryAuth('home', { plans: { free: { requestsPerMinute: 60 } } });
 * ```
 */
export function registryAuth(
  home: string,
  registry: Partial<RuntimeTenantRegistry> & Pick<RuntimeTenantRegistry, 'plans'>,
): RuntimeAuth {
  return {
    required: true,
    tenantClaim: 'tid',
    trustTenantHeader: false,
    allowedTenants: [],
    homeTenant: home,
    registry: {
      database: 'atakora',
      container: 'tenants',
      usage: 'usage',
      defaultPlan: 'free',
      signUp: 'invite',
      ...registry,
    },
  };
}

/**
 * Tenants by membership as the runtime gets them: `home`'s directory is the operator's; the registry of
 * organizations in `atakora/tenants`, the ledger in `atakora/usage`, memberships in `atakora/members` with the roles
 * `Admin` and `Member`, invite-only, organizations created by the operator unless `membership` says otherwise.
 *
 * @example
 * ```ts
 * const policy = membershipAuth('home', { plans: { free: {} }, defaultPlan: 'free' }, { createTenants: 'any-user' });
 * ```
 */
export function membershipAuth(
  home: string,
  registry: Pick<RuntimeTenantRegistry, 'plans' | 'defaultPlan'>,
  membership: Partial<RuntimeMembership> = {},
): RuntimeAuth {
  return {
    required: true,
    tenantClaim: 'tid',
    trustTenantHeader: false,
    homeTenant: home,
    registry: {
      database: 'atakora',
      container: 'tenants',
      usage: 'usage',
      signUp: 'invite',
      ...registry,
      membership: {
        container: 'members',
        roles: ['Admin', 'Member'],
        createTenants: 'operator',
        ...membership,
      },
    },
  };
}
