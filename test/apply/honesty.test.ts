import { Testing } from '../support/engine.js';
import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-backend.js';
import { ResourceGroupStack } from '../../src/apply/resource-group-stack.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { normalizeConfig } from '../../src/backend/normalize-config.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { ComponentDefinition } from '../../src/model/component.js';
import { AtakoraError } from '../../src/model/errors.js';
import type { PlannedDeploy, ResourcePlan } from '../../src/model/plan.js';

// apply's honesty check (`assertHonest`): the Terraform resources apply creates must be exactly the plan's
// `deploys`. Each test hands applyPlan a plan whose deploys disagree with what the provisioners create.

const userApi = CrudApi.define('UserApi', {
  entityName: 'User',
  schema: { id: 'string', name: 'string' },
});
const config = normalizeConfig({ environment: 'test' });
const definitions = new Map([[userApi.componentId, userApi as unknown as ComponentDefinition]]);
const honest = defineBackend({ userApi }, { environment: 'test' }).plan();

/** A mutable copy of the plan with `edit` applied to the deploys of one resource. */
function withDeploys(
  key: string,
  edit: (deploys: PlannedDeploy[]) => PlannedDeploy[],
): ResourcePlan {
  const copy = JSON.parse(JSON.stringify(honest)) as {
    resources: { key: string; deploys: PlannedDeploy[] }[];
  };
  const r = copy.resources.find((x) => x.key === key)!;
  r.deploys = edit(r.deploys);
  return copy as unknown as ResourcePlan;
}

const apply = (plan: ResourcePlan) => {
  const stack = new ResourceGroupStack(Testing.app(), 'Honesty', {
    resourceGroupName: 'rg-honesty',
    location: 'eastus',
  });
  return applyPlan(stack, plan, { definitions, config });
};

const disagreement = (plan: ResourcePlan): AtakoraError => {
  try {
    apply(plan);
  } catch (e) {
    return e as AtakoraError;
  }
  throw new Error('applyPlan accepted a plan whose deploys disagree with what it created');
};

describe('apply: the plan is honest', () => {
  it('applies the plan as planned (the control case)', () => {
    const applied = apply(honest);
    expect(applied.getResource('cosmos')).toBeDefined();
  });

  it('throws when the plan promises a resource apply does not create', () => {
    const e = disagreement(
      withDeploys('storage:shared', (d) => [
        ...d,
        { terraformType: 'azurerm_storage_container', name: 'phantom' },
      ]),
    );
    expect(e).toBeInstanceOf(AtakoraError);
    expect(e.code).toBe('PLAN_HAS_ERRORS');
    expect(e.message).toMatch(/apply and plan disagree/);
    expect(e.message).toMatch(/Missing: azurerm_storage_container\.phantom\./);
  });

  it('throws when apply creates a resource the plan does not list', () => {
    const dropped = honest.resources
      .find((r) => r.key === 'cosmos:shared')!
      .deploys.find((d) => d.terraformType === 'azurerm_cosmosdb_sql_container')!;
    const e = disagreement(
      withDeploys('cosmos:shared', (d) => d.filter((x) => x.name !== dropped.name)),
    );
    expect(e.code).toBe('PLAN_HAS_ERRORS');
    expect(e.message).toMatch(
      new RegExp(
        `Unplanned: azurerm_cosmosdb_sql_container\\.${dropped.name.replace(/[-]/g, '\\-')}`,
      ),
    );
  });

  it('throws when a planned logical name differs from the created one', () => {
    const e = disagreement(
      withDeploys('functions:shared', (d) =>
        d.map((x) =>
          x.terraformType === 'azurerm_function_app_flex_consumption'
            ? { ...x, name: `${x.name}_renamed` }
            : x,
        ),
      ),
    );
    expect(e.code).toBe('PLAN_HAS_ERRORS');
    expect(e.message).toMatch(/Missing: azurerm_function_app_flex_consumption\.\S+_renamed/);
    expect(e.message).toMatch(/Unplanned: azurerm_function_app_flex_consumption\./);
  });
});
