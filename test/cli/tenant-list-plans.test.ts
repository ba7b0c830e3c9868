/**
 * `atakora tenant list` and the plan's diff on a record naming a plan the config no longer declares (a renamed
 * plan, an imported record): the runtime gives it `defaultPlan`'s limits; the list warns on stderr, naming the
 * tenant and the plan that applies, in table and JSON form alike; `diffPlans` warns when a plan the base declared is
 * gone (TENANT_PLAN_REMOVED).
 */
import type { Container } from '@azure/cosmos';
import { beforeAll, describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { diffPlans } from '../../src/plan/diff/diff.js';
import { tlsStandInFile } from './support/cosmos-cli.js';

const entry = 'test/cli/fixtures/tenant-backend.ts';
const A = '72f988bf-0000-4000-8000-0000000000aa';
const B = '72f988bf-0000-4000-8000-0000000000bb';

const { local, run } = tlsStandInFile('atakora-list-plans-', 'tenant');
let tenants: Container;
beforeAll(async () => {
  tenants = await local().container('atakora', 'tenants', '/id');
});

describe('a record naming a plan the config no longer declares', () => {
  it('tenant list warns on stderr for it alone, in table and JSON form', async () => {
    const at = '2026-01-01T00:00:00.000Z';
    await tenants.items.upsert({
      id: A,
      plan: 'free',
      status: 'active',
      createdOn: at,
      updatedOn: at,
    });
    await tenants.items.upsert({
      id: B,
      plan: 'gold',
      status: 'active',
      createdOn: at,
      updatedOn: at,
    });
    for (const form of [[], ['--json']]) {
      const listed = await run('list', entry, '--environment', 'test', ...form);
      expect(listed.code).toBe(0);
      const warnings = listed.err.split('\n').filter((l) => l.startsWith('warning:'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`tenant ${B}`);
      expect(warnings[0]).toContain('"gold"');
      expect(warnings[0]).toContain(`default plan "free"`);
    }
  });
});

describe('TENANT_PLAN_REMOVED', () => {
  const notes = CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } });
  const auth = { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' } as const;
  const withPlans = (...plans: string[]) =>
    defineBackend(
      { notes },
      {
        auth,
        tenants: { plans: Object.fromEntries(plans.map((p) => [p, {}])), defaultPlan: 'free' },
      },
    ).plan();

  it('a plan the base declared and this one does not: a warning naming it and the plan that applies', () => {
    const issues = diffPlans(withPlans('free', 'gold'), withPlans('free', 'pro')).issues;
    expect(issues.filter((i) => i.code === 'TENANT_PLAN_REMOVED')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        path: ['tenants', 'plans', 'gold'],
        details: { plan: 'gold', appliedPlan: 'free' },
      }),
    ]);
    expect(diffPlans(withPlans('free', 'gold'), withPlans('free', 'gold', 'pro')).issues).toEqual(
      [],
    );
    // Without a registry any more, no tenant has limits to fall back from: nothing to say.
    const plain = defineBackend({ notes }).plan();
    expect(diffPlans(withPlans('free', 'gold'), plain).issues.map((i) => i.code)).not.toContain(
      'TENANT_PLAN_REMOVED',
    );
  });
});
