import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { defineComponent } from '../../src/components/custom/define.js';
import { BaseProvider } from '../../src/resources/custom/base-provider.js';
import type { ResourceRequirement } from '../../src/model/requirements.js';

// The plan is frozen in place (kit/pure/plain-data.ts freezeOwnedPlainData): whatever a caller hands the planner —
// a component's config, requirements and outputs, a provider's merged requirement and deploys — must come out
// of plan() as the caller left it, not frozen, while the plan itself is frozen all the way down.

function isDeepFrozen(v: unknown): boolean {
  if (!v || typeof v !== 'object') return true;
  return Object.isFrozen(v) && Object.values(v).every(isDeepFrozen);
}

function anyFrozen(v: unknown): boolean {
  if (!v || typeof v !== 'object') return false;
  return Object.isFrozen(v) || Object.values(v).some(anyFrozen);
}

/** A provider that keeps (and reuses) the objects it hands back, and changes the requirements it is given. */
class KeepingProvider extends BaseProvider {
  readonly providerId = 'keeping';
  readonly supportedTypes = ['queue'];
  readonly kept = { deploys: [{ terraformType: 'azurerm_servicebus_namespace', name: 'kept' }], merged: { settings: { retries: [1, 2] } } };
  provideResource(): unknown { return undefined; }
  override mergeRequirements(reqs: readonly ResourceRequirement[]): ResourceRequirement {
    (reqs[0]!.config as { touched?: boolean }).touched = true;
    return { resourceType: 'queue', requirementKey: 'q', config: this.kept.merged };
  }
  plannedDeploys() { return this.kept.deploys; }
}

describe('plan() freezes only what it built', () => {
  it("leaves a custom component's requirements and outputs, a provider's results and a CrudApi's config unfrozen", () => {
    const requirementConfig = { containers: ['uploads'], meta: { owner: 'team' } };
    const outputs = { url: 'https://x', nested: { list: ['a'] } };
    const uploads = defineComponent({
      type: 'Uploads', id: 'Uploads', config: {},
      requirements: () => [{ resourceType: 'storage', requirementKey: 'uploads', config: requirementConfig }, { resourceType: 'queue', requirementKey: 'q1', config: { n: 1 } }, { resourceType: 'queue', requirementKey: 'q2', config: { n: 2 } }],
      outputs: () => outputs,
    });
    const crudConfig = { entityName: 'User', schema: { id: 'string' as const }, uniqueKeys: ['/email'], indexingPolicy: { includedPaths: [{ path: '/*' }] } };
    const provider = new KeepingProvider();
    const backend = defineBackend({ uploads, users: CrudApi.define('UserApi', crudConfig) }, { providers: [provider] });
    const plan = backend.plan();

    expect(isDeepFrozen(plan)).toBe(true);
    expect(plan.components.find((c) => c.key === 'uploads')?.outputs).toStrictEqual(outputs);
    expect(plan.resources.find((r) => r.type === 'queue')?.deploys).toStrictEqual(provider.kept.deploys);
    for (const mine of [requirementConfig, outputs, crudConfig, provider.kept]) expect(anyFrozen(mine)).toBe(false);
    // The provider changed a copy: the component's next plan sees its requirement as written.
    expect(JSON.stringify(defineBackend({ uploads }, { providers: [provider] }).plan())).not.toContain('touched');
  });

  it('plans the same definitions twice into equal, separately frozen plans', () => {
    const defs = { users: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }) };
    const first = defineBackend(defs).plan();
    const second = defineBackend(defs).plan();
    expect(second).not.toBe(first);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(isDeepFrozen(first) && isDeepFrozen(second)).toBe(true);
  });
});
