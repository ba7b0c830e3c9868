import type { RuntimeTenantRegistry } from '../../src/model/runtime-manifest.js';

/**
 * The tenant registry of the membership runtime tests: organizations anyone signed in may create, roles Admin and
 * Member, one free plan, the registry and members containers of the database `atakora`.
 */
export const MEMBERSHIP_REGISTRY: RuntimeTenantRegistry = {
  database: 'atakora',
  container: 'tenants',
  usage: 'usage',
  plans: { free: {} },
  defaultPlan: 'free',
  signUp: 'invite',
  membership: { container: 'members', roles: ['Admin', 'Member'], createTenants: 'any-user' },
};
