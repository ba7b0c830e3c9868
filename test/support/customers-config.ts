import type { BackendConfig } from '../../src/model/config.js';

/** The external tenant of the customer sign-in tests (its id in upper case: the config lower-cases it). */
export const EXTERNAL_TENANT = '6F1C2B3A-0000-4000-8000-00000000C1A0';

/**
 * A customer sign-in as the tests declare it: the external tenant, email codes by default, Google (client id from
 * GOOGLE_CLIENT_ID when auth setup runs) and Facebook (its app id in the config), tenants by membership.
 */
export const customersConfig = {
  auth: {
    signInAudience: 'customers',
    externalTenant: { id: EXTERNAL_TENANT, subdomain: 'ContosoID' },
    identityProviders: ['google', { type: 'facebook', clientId: '236028191057849' }],
  },
  tenants: {
    by: 'membership',
    createTenants: 'any-user',
    plans: { free: {} },
    defaultPlan: 'free',
  },
} as const satisfies BackendConfig;
