import type { BackendConfig } from '../../../src/model/config.js';

const plans = { plans: { free: {} }, defaultPlan: 'free' } as const;

/**
 * A backend's tenant registry, by kind, as the registry plan tests draw it: none, tenants by membership, or a
 * registry of directories (multi-tenant sign-in, `allowedTenants: 'registry'`), each on one free plan.
 */
export const registries = {
  none: {},
  membership: { tenants: { by: 'membership', ...plans } },
  directories: {
    auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },
    tenants: plans,
  },
} as const satisfies Record<string, BackendConfig>;

/** One kind of {@link registries}. */
export type Registry = keyof typeof registries;
