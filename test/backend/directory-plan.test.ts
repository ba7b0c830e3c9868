/**
 * Directory sign-in in the runtime's policy (DESIGN §2, "Organizations that enterprises can buy"): the planner tells
 * the runtime an organization may link its Entra directory only on a membership backend whose workforce sign-in is
 * open to every directory (`signInAudience: 'AzureADMultipleOrgs'`) — never on a single-tenant or a customers (External
 * ID) sign-in, where every user's `tid` is the same directory.
 */
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { admissionPolicy } from '../../src/kit/pure/tenant-registry.js';
import type { BackendConfig } from '../../src/model/config.js';

const notes = () => CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } });
const tenants = { by: 'membership', plans: { free: {} }, defaultPlan: 'free' } as const;
const policyOf = (config: BackendConfig) =>
  admissionPolicy(defineBackend({ notes: notes() }, config).config);

describe('directorySignIn in the runtime policy', () => {
  it('is on for a membership backend signing in work accounts of every directory', () => {
    const policy = policyOf({
      auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'any' },
      tenants,
    } as BackendConfig);
    expect(policy.registry?.membership?.directorySignIn).toBe(true);
  });

  it('is off for a single-tenant sign-in (the default)', () => {
    const policy = policyOf({ tenants } as BackendConfig);
    expect(policy.registry?.membership).toBeDefined();
    expect(policy.registry?.membership?.directorySignIn).toBeUndefined();
  });
});
