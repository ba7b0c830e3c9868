import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import {
  renderDataLoss,
  renderPlanSummary,
  summarizeTerraformPlan,
  type TerraformResourceChange,
} from '../../src/cli/deploy/plan-guard.js';
import { formatElapsed, parseApplyLine } from '../../src/cli/shared/progress.js';
import { orderStacks } from '../../src/cli/entry/synth-stacks.js';
import { STATEFUL_TERRAFORM_TYPES } from '../../src/plan/diff/diff-types.js';

// Scripted `terraform show -json` plans (format: https://developer.hashicorp.com/terraform/internals/json-format,
// "resource_changes": actions, action_reason, change.replace_paths).
const rc = (
  address: string,
  actions: string[],
  extra: Partial<TerraformResourceChange> = {},
): TerraformResourceChange => {
  const type = address.split('.')[0]!;
  return { address, type, mode: 'managed', ...extra, change: { actions, ...(extra.change ?? {}) } };
};

const backend = defineBackend(
  {
    users: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
    orders: CrudApi.define('OrderApi', { entityName: 'Order', schema: { id: 'string' } }),
  },
  { environment: 'prod' },
);
const plan = backend.plan();
const container = plan.resources
  .find((r) => r.type === 'cosmos')!
  .deploys.find((d) => d.terraformType === 'azurerm_cosmosdb_sql_container')!;
const containerAddress = `${container.terraformType}.${container.name}`;

describe('summarizeTerraformPlan: counts as terraform plan does', () => {
  it('all creates: N to add, nothing lost, every address of the plan attributed to its planned resource', () => {
    const changes = plan.resources.flatMap((r) =>
      r.deploys.map((d) => rc(`${d.terraformType}.${d.name}`, ['create'])),
    );
    const s = summarizeTerraformPlan(
      { resource_changes: [...changes, rc('azurerm_resource_group.resource-group', ['create'])] },
      plan,
    );
    expect(s).toMatchObject({
      add: changes.length + 1,
      change: 0,
      destroy: 0,
      operations: changes.length + 1,
      dataLoss: [],
    });
    expect(s.byResource.get('cosmos:shared')).toMatchObject({
      components: ['OrderApi', 'UserApi'],
      destroy: 0,
    });
    expect(s.byResource.get('(stack)')).toMatchObject({ add: 1, components: [] });
    const total = [...s.byResource.values()].reduce((n, c) => n + c.add, 0);
    expect(total).toBe(s.add);
    expect(renderPlanSummary('backend-prod', s)).toMatch(
      /^backend-prod: \d+ to add, 0 to change, 0 to destroy\n {2}cosmos:shared +\+\d+ ~0 -0 {2}used by OrderApi, UserApi/,
    );
  });

  it('no-op, read and data sources are not changes', () => {
    const s = summarizeTerraformPlan({
      resource_changes: [
        rc('azurerm_storage_account.a', ['no-op']),
        rc('azurerm_client_config.c', ['read'], { mode: 'data' }),
        rc('azurerm_key_vault.k', ['read']),
      ],
    });
    expect(s).toMatchObject({ add: 0, change: 0, destroy: 0, operations: 0, dataLoss: [] });
  });

  it('a replacement counts one add, one destroy and two operations', () => {
    const s = summarizeTerraformPlan({
      resource_changes: [
        rc('azurerm_service_plan.p', ['delete', 'create']),
        rc('azurerm_linux_function_app.f', ['update']),
      ],
    });
    expect(s).toMatchObject({ add: 1, change: 1, destroy: 1, operations: 3, dataLoss: [] });
  });
});

describe('summarizeTerraformPlan: the data-loss guard', () => {
  it("a replaced Cosmos DB container is data loss, with Terraform's reason, the forcing attribute and its components", () => {
    const s = summarizeTerraformPlan(
      {
        resource_changes: [
          rc(containerAddress, ['delete', 'create'], {
            action_reason: 'replace_because_cannot_update',
            change: { actions: ['delete', 'create'], replace_paths: [['partition_key_paths']] },
          }),
        ],
      },
      plan,
    );
    expect(s.dataLoss).toHaveLength(1);
    expect(s.dataLoss[0]).toMatchObject({
      address: containerAddress,
      action: 'replace',
      type: 'azurerm_cosmosdb_sql_container',
    });
    expect(s.dataLoss[0]!.reason).toBe(
      'cannot be updated in place (replace_because_cannot_update); forced by partition_key_paths',
    );
    expect(s.dataLoss[0]!.components.length).toBeGreaterThan(0);
    const text = renderDataLoss('backend-prod', s.dataLoss);
    expect(text).toContain(`-/+ ${containerAddress} — replaced: cannot be updated in place`);
  });

  it('create-before-destroy replacements and plain deletes count too; reasons for removed blocks are named', () => {
    const s = summarizeTerraformPlan({
      resource_changes: [
        rc('azurerm_storage_account.st', ['create', 'delete'], {
          action_reason: 'replace_by_request',
        }),
        rc('azurerm_key_vault.kv', ['delete'], {
          action_reason: 'delete_because_no_resource_config',
        }),
        rc('azurerm_cosmosdb_account.c', ['delete']),
      ],
    });
    expect(s.dataLoss.map((l) => [l.address, l.action])).toEqual([
      ['azurerm_storage_account.st', 'replace'],
      ['azurerm_key_vault.kv', 'delete'],
      ['azurerm_cosmosdb_account.c', 'delete'],
    ]);
    expect(s.dataLoss[1]!.reason).toBe(
      'its block is gone from the configuration (delete_because_no_resource_config)',
    );
    expect(s.dataLoss[2]!.reason).toBe('planned by Terraform');
  });

  it('uses the one list of data-holding types (STATEFUL_TERRAFORM_TYPES): each is guarded, other types are not', () => {
    for (const type of STATEFUL_TERRAFORM_TYPES) {
      expect(
        summarizeTerraformPlan({ resource_changes: [rc(`${type}.x`, ['delete'])] }).dataLoss,
      ).toHaveLength(1);
    }
    for (const type of [
      'azurerm_role_assignment',
      'azurerm_function_app_flex_consumption',
      'azurerm_storage_blob',
      'azurerm_user_assigned_identity',
    ]) {
      expect(
        summarizeTerraformPlan({ resource_changes: [rc(`${type}.x`, ['delete', 'create'])] })
          .dataLoss,
      ).toEqual([]);
    }
  });
});

describe('deploy helpers', () => {
  it('parseApplyLine reads completions and the final summary', () => {
    expect(
      parseApplyLine('azurerm_resource_group.rg: Creation complete after 2s [id=/subscriptions/x]'),
    ).toEqual({ completed: 'azurerm_resource_group.rg' });
    expect(parseApplyLine('azurerm_key_vault.kv: Destruction complete after 9s')).toEqual({
      completed: 'azurerm_key_vault.kv',
    });
    expect(
      parseApplyLine('azurerm_linux_function_app.f: Modifications complete after 1m2s [id=x]'),
    ).toEqual({ completed: 'azurerm_linux_function_app.f' });
    expect(parseApplyLine('azurerm_resource_group.rg: Creating...')).toEqual({});
    expect(parseApplyLine('Apply complete! Resources: 3 added, 0 changed, 0 destroyed.')).toEqual({
      summary: '3 added, 0 changed, 0 destroyed',
    });
    expect(parseApplyLine('Destroy complete! Resources: 5 destroyed.')).toEqual({
      summary: '5 destroyed',
    });
  });

  it('formatElapsed', () => {
    expect(formatElapsed(4100)).toBe('4.1s');
    expect(formatElapsed(125_000)).toBe('2m05s');
  });

  it('orderStacks puts a stack after the stacks it depends on, else keeps the synth order', () => {
    const s = (name: string, ...dependencies: string[]) => ({ name, dependencies });
    expect(orderStacks([s('a'), s('b'), s('c')]).map((x) => x.name)).toEqual(['a', 'b', 'c']);
    expect(
      orderStacks([s('tm', 'blue', 'green'), s('blue'), s('green')]).map((x) => x.name),
    ).toEqual(['blue', 'green', 'tm']);
    expect(orderStacks([s('c', 'b'), s('b', 'a'), s('a')]).map((x) => x.name)).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(
      orderStacks([s('a', 'b'), s('b', 'a')])
        .map((x) => x.name)
        .sort(),
    ).toEqual(['a', 'b']); // never loops
  });
});
