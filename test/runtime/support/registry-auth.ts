import type { RuntimeAuth, RuntimeTenantRegistry } from '../../../src/model/runtime-manifest.js';

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
