import type { BackendConfig } from '../../../src/model/config.js';

/**
 * The multi-tenant sign-in and the two plans the plan's tenant-costs tests price: `free` with every bound, `pro`
 * with two (so one of its lines is unbounded).
 */
export const SAAS_TENANTS = {
  auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },
  tenants: {
    plans: {
      free: {
        requestsPerMinute: 60,
        requestUnitsPerDay: 100_000,
        storageMb: 100,
        realtimeConnections: 5,
      },
      pro: { requestsPerMinute: 600, storageMb: 10_240 },
    },
    defaultPlan: 'free',
  },
} as const satisfies Partial<BackendConfig>;
