/**
 * A CrudApi's `audit` option in the plan (DESIGN §2, "Audit log"): a boolean or CRUD_AUDIT_INVALID at define time,
 * carried into the runtime manifest's entity as `audit: true` only when on, and a plan error
 * (`CRUD_AUDIT_NEEDS_MEMBERSHIP`) on a backend without tenants by membership, which keeps no audit log.
 */
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { BackendConfig } from '../../src/model/config.js';
import { thrown } from '../support/synth.js';

const membership = {
  tenants: { by: 'membership', plans: { free: {} }, defaultPlan: 'free' },
} as BackendConfig;
const contracts = (audit?: unknown) =>
  CrudApi.define('ContractApi', {
    entityName: 'Contract',
    schema: { id: 'string', total: 'number' },
    ...(audit === undefined ? {} : { audit: audit as boolean }),
  });
const entityOf = (plan: ReturnType<ReturnType<typeof defineBackend>['plan']>) =>
  JSON.stringify(plan.resources.filter((r) => r.type === 'functions').map((r) => r.config));

describe('CrudApi audit', () => {
  it('is a boolean: anything else is CRUD_AUDIT_INVALID naming the path', () => {
    for (const bad of ['yes', 1, null, {}]) {
      expect(thrown(() => contracts(bad))).toMatchObject({
        code: 'CRUD_AUDIT_INVALID',
        path: ['components', 'ContractApi', 'config', 'audit'],
      });
    }
  });

  it('reaches the runtime entity only when true', () => {
    const on = defineBackend({ contracts: contracts(true) }, membership).plan();
    expect(on.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(entityOf(on)).toContain('"audit":true');
    for (const off of [false, undefined]) {
      const plan = defineBackend({ contracts: contracts(off) }, membership).plan();
      expect(entityOf(plan)).not.toContain('"audit"');
    }
  });

  it('needs tenants by membership', () => {
    for (const config of [
      {},
      {
        auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },
        tenants: { plans: { free: {} }, defaultPlan: 'free' },
      },
    ] as BackendConfig[]) {
      const plan = defineBackend({ contracts: contracts(true) }, config).plan();
      expect(plan.issues.find((i) => i.code === 'CRUD_AUDIT_NEEDS_MEMBERSHIP')).toMatchObject({
        severity: 'error',
        path: ['components', 'contracts', 'config', 'audit'],
      });
    }
    const off = defineBackend({ contracts: contracts(false) }, {}).plan();
    expect(off.issues.find((i) => i.code === 'CRUD_AUDIT_NEEDS_MEMBERSHIP')).toBeUndefined();
  });
});
