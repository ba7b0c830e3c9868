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

describe("the registry's containers are never a CrudApi's", () => {
  const clash = (containerName: string, databaseName = 'atakora') =>
    defineBackend(
      {
        entries: CrudApi.define('AuditApi', {
          entityName: 'Entry',
          schema: { id: 'string', tenant: 'string' },
          partitionKey: '/tenant',
          databaseName,
          containerName,
        }),
      },
      { tenants } as BackendConfig,
    )
      .plan()
      .issues.filter((i) => i.severity === 'error')
      .map((i) => [i.code, i.path]);

  it('a CrudApi on atakora/audit (or members, tenants, usage) is a plan error', () => {
    for (const name of ['audit', 'members', 'tenants', 'usage'])
      expect(clash(name)).toEqual([['TENANTS_CONTAINER_RESERVED', ['entries', 'containerName']]]);
  });

  it('another container of that database, or audit elsewhere, plans', () => {
    expect(clash('audit-copy')).toEqual([]);
    expect(clash('audit', 'app')).toEqual([]);
  });
});
