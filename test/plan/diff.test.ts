import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi, type CrudApiDefinition } from '../../src/components/crud/index.js';
import type { ResourcePlan } from '../../src/model/plan.js';
import { diffPlans } from '../../src/plan/diff/diff.js';

const user = (pk = '/id') =>
  CrudApi.define('UserApi', {
    entityName: 'User',
    schema: { id: 'string', name: 'string' },
    partitionKey: pk,
  });
const product = () =>
  CrudApi.define('ProductApi', {
    entityName: 'Product',
    schema: { id: 'string', price: 'number' },
  });
const order = () =>
  CrudApi.define('OrderApi', { entityName: 'Order', schema: { id: 'string', total: 'number' } });

function plan(components: Record<string, CrudApiDefinition>, environment = 'prod'): ResourcePlan {
  return defineBackend(components, { environment, location: 'eastus', backendId: 'shop' }).plan();
}

describe('diffPlans', () => {
  it('finds nothing between identical plans', () => {
    const a = plan({ userApi: user(), productApi: product() });
    const d = diffPlans(a, plan({ productApi: product(), userApi: user() }));
    expect(d.resources).toEqual({ adds: [], removes: [], changes: [], replacements: [] });
    expect(d.deploys).toEqual({ adds: [], removes: [], changes: [], replacements: [] });
    expect(d.issues).toEqual([]);
    expect(d.hasDataLoss).toBe(false);
    expect(d.summary.resources).toEqual({ adds: 0, removes: 0, changes: 0, replacements: 0 });
  });

  it('adding a component only adds: no existing resource is replaced and nothing is destroyed', () => {
    const before = plan({ userApi: user(), productApi: product() });
    const after = plan({ userApi: user(), productApi: product(), orderApi: order() });
    const d = diffPlans(before, after);
    expect(d.resources.replacements).toEqual([]);
    expect(d.resources.removes).toEqual([]);
    expect(d.deploys.replacements).toEqual([]);
    expect(d.deploys.removes).toEqual([]);
    expect(d.hasDataLoss).toBe(false);
    // The order database, its container, its role assignment (with the wait for its principal) and its own
    // identity are new Terraform resources.
    expect(d.deploys.adds.map((x) => x.terraformType)).toEqual([
      'azurerm_cosmosdb_sql_container',
      'azurerm_cosmosdb_sql_database',
      'azurerm_cosmosdb_sql_role_assignment',
      'azurerm_user_assigned_identity',
      'time_sleep',
    ]);
    expect(d.deploys.adds.every((x) => x.name.toLowerCase().includes('order'))).toBe(true);
    // The shared resources change in place: a new database in Cosmos, new settings in the Function App.
    const cosmos = d.resources.changes.find((c) => c.type === 'cosmos');
    expect(cosmos?.changes.map((c) => c.pathText)).toEqual(['databases[order-db]']);
    expect(cosmos?.changes[0]?.before).toBeUndefined();
    expect(d.resources.changes.map((c) => c.key)).toEqual(['cosmos:shared', 'functions:shared']);
  });

  it('changing the environment renames everything: stateful replacements are data-loss errors', () => {
    const d = diffPlans(plan({ userApi: user() }, 'prod'), plan({ userApi: user() }, 'staging'));
    expect(d.resources.replacements.map((r) => r.key)).toEqual([
      'cosmos:shared',
      'functions:shared',
      'storage:shared',
    ]);
    for (const r of d.resources.replacements) expect(r.nameBefore).not.toBe(r.nameAfter);
    expect(d.resources.changes).toEqual([]);
    expect(d.hasDataLoss).toBe(true);
    const errors = d.issues.filter((i) => i.code === 'STATEFUL_REPLACEMENT');
    // One per stateful resource (cosmos and storage), not one per Terraform resource; functions hold no data.
    expect(errors).toHaveLength(2);
    for (const e of errors) {
      expect(e.severity).toBe('error');
      expect(e.message).toContain('data loss');
    }
    const cosmosName = d.resources.replacements.find((r) => r.key === 'cosmos:shared')!.nameBefore;
    expect(errors.some((e) => e.message.includes(cosmosName))).toBe(true);
    // Every Terraform resource of a replaced resource is replaced with it.
    expect(d.deploys.replacements.length).toBe(
      plan({ userApi: user() }).resources.reduce((n, r) => n + r.deploys.length, 0),
    );
    expect(
      d.deploys.replacements.find((x) => x.terraformType === 'azurerm_cosmosdb_sql_container')
        ?.stateful,
    ).toBe(true);
    expect(d.summary.errors).toBe(2);
  });

  it("changing a container's partition key replaces that container and flags data loss", () => {
    const d = diffPlans(
      plan({ userApi: user('/id'), productApi: product() }),
      plan({ userApi: user('/tenantId'), productApi: product() }),
    );
    expect(d.resources.replacements).toEqual([]);
    const cosmos = d.resources.changes.find((c) => c.key === 'cosmos:shared');
    expect(cosmos?.changes).toEqual([
      {
        path: ['databases', 'user-db', 'containers', 'user', 'partitionKey'],
        pathText: 'databases[user-db].containers[user].partitionKey',
        before: '/id',
        after: '/tenantId',
      },
    ]);
    expect(d.deploys.replacements).toHaveLength(1);
    expect(d.deploys.replacements[0]).toMatchObject({
      terraformType: 'azurerm_cosmosdb_sql_container',
      stateful: true,
    });
    expect(d.deploys.replacements[0]!.name).toContain('user');
    expect(d.issues).toHaveLength(1);
    expect(d.issues[0]).toMatchObject({ severity: 'error', code: 'STATEFUL_REPLACEMENT' });
    expect(d.issues[0]!.message).toMatch(/data loss/);
    expect(d.issues[0]!.message).toContain(d.deploys.replacements[0]!.address);
    expect(d.hasDataLoss).toBe(true);
  });

  it('removing the component that owned a database flags the removal of its database and container', () => {
    const d = diffPlans(
      plan({ userApi: user(), productApi: product() }),
      plan({ userApi: user() }),
    );
    expect(d.resources.removes).toEqual([]);
    const removed = d.deploys.removes.map((x) => x.terraformType);
    expect(removed).toContain('azurerm_cosmosdb_sql_database');
    expect(removed).toContain('azurerm_cosmosdb_sql_container');
    const losses = d.issues.filter((i) => i.code === 'STATEFUL_REMOVAL');
    expect(losses).toHaveLength(2);
    expect(
      losses.every(
        (i) =>
          i.severity === 'error' &&
          i.message.includes('data loss') &&
          i.message.includes('product'),
      ),
    ).toBe(true);
    expect(d.hasDataLoss).toBe(true);
  });

  it('moving the only consumer to another Cosmos group removes the old account as one error', () => {
    const strong = CrudApi.define('UserApi', {
      entityName: 'User',
      schema: { id: 'string' },
      consistency: 'Strong',
    });
    const d = diffPlans(plan({ userApi: user() }), plan({ userApi: strong }));
    expect(d.resources.removes.map((r) => r.key)).toEqual(['cosmos:shared']);
    expect(d.resources.adds.map((r) => r.type)).toEqual(['cosmos']);
    // The account's databases and containers go with it: one issue for the account, not one per child.
    expect(d.issues.map((i) => [i.code, i.path])).toEqual([
      ['STATEFUL_REMOVAL', ['resources', 'cosmos:shared']],
    ]);
    expect(d.issues[0]!.message).toContain(d.resources.removes[0]!.name);
    expect(
      d.deploys.removes.some((x) => x.terraformType === 'azurerm_cosmosdb_sql_container'),
    ).toBe(true);
  });

  it('a serverless to provisioned switch under the same key replaces the Cosmos account', () => {
    const opts = (enabled: boolean) => ({
      environment: 'prod',
      location: 'eastus',
      backendId: 'shop',
      autoScale: { enabled },
    });
    const before = defineBackend({ userApi: user() }, opts(false)).plan();
    const after = defineBackend({ userApi: user() }, opts(true)).plan();
    const d = diffPlans(before, after);
    const cosmos = d.resources.replacements.find((r) => r.key === 'cosmos:shared');
    expect(cosmos?.reasons).toEqual(['serverless: true → false']);
    expect(cosmos?.nameBefore).toBe(cosmos?.nameAfter);
    expect(d.issues.filter((i) => i.code === 'STATEFUL_REPLACEMENT').map((i) => i.path)).toEqual([
      ['resources', 'cosmos:shared'],
    ]);
  });

  it('is deterministic and leaves its inputs alone', () => {
    const a = plan({ userApi: user(), productApi: product() });
    const b = plan({ userApi: user('/tenantId') }, 'dev');
    const json = JSON.stringify([a, b]);
    expect(JSON.stringify(diffPlans(a, b))).toBe(JSON.stringify(diffPlans(a, b)));
    expect(JSON.stringify([a, b])).toBe(json);
    const sorted = diffPlans(a, b).deploys.removes.map((x) => x.address);
    expect(sorted).toEqual([...sorted].sort());
  });
});
