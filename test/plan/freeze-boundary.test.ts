import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { defineComponent } from '../../src/components/custom/define.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import { StaticSite, StaticSiteWithCdn } from '../../src/components/web/index.js';
import { normalizeConfig } from '../../src/backend/normalize-config.js';
import { isBuiltInDefinition } from '../../src/kit/pure/component-definition.js';
import type { AnyDefinition, ComponentDefinition } from '../../src/model/component.js';
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

/** The frozen objects inside a tree, by path, not descending into those in `allowed`. */
function frozenPaths(v: unknown, allowed: (path: string) => boolean, path = ''): string[] {
  if (!v || typeof v !== 'object' || allowed(path)) return [];
  return [
    ...(Object.isFrozen(v) ? [path] : []),
    ...Object.entries(v).flatMap(([k, x]) => frozenPaths(x, allowed, `${path}.${k}`)),
  ];
}

/** A provider that keeps (and reuses) the objects it hands back, and changes the requirements it is given. */
class KeepingProvider extends BaseProvider {
  readonly providerId = 'keeping';
  readonly supportedTypes = ['queue'];
  readonly kept = {
    deploys: [{ terraformType: 'azurerm_servicebus_namespace', name: 'kept' }],
    merged: { settings: { retries: [1, 2] } },
  };
  provideResource(): unknown {
    return undefined;
  }
  override mergeRequirements(reqs: readonly ResourceRequirement[]): ResourceRequirement {
    (reqs[0]!.config as { touched?: boolean }).touched = true;
    return { resourceType: 'queue', requirementKey: 'q', config: this.kept.merged };
  }
  plannedDeploys() {
    return this.kept.deploys;
  }
}

describe('plan() freezes only what it built', () => {
  it("leaves a custom component's requirements and outputs, a provider's results and a CrudApi's config unfrozen", () => {
    const requirementConfig = { containers: ['uploads'], meta: { owner: 'team' } };
    const outputs = { url: 'https://x', nested: { list: ['a'] } };
    const uploads = defineComponent({
      type: 'Uploads',
      id: 'Uploads',
      config: {},
      requirements: () => [
        { resourceType: 'storage', requirementKey: 'uploads', config: requirementConfig },
        { resourceType: 'queue', requirementKey: 'q1', config: { n: 1 } },
        { resourceType: 'queue', requirementKey: 'q2', config: { n: 2 } },
      ],
      outputs: () => outputs,
    });
    const crudConfig = {
      entityName: 'User',
      schema: { id: 'string' as const },
      uniqueKeys: ['/email'],
      indexingPolicy: { includedPaths: [{ path: '/*' }] },
    };
    const provider = new KeepingProvider();
    const backend = defineBackend(
      { uploads, users: CrudApi.define('UserApi', crudConfig) },
      { providers: [provider] },
    );
    const plan = backend.plan();

    expect(isDeepFrozen(plan)).toBe(true);
    expect(plan.components.find((c) => c.key === 'uploads')?.outputs).toStrictEqual(outputs);
    expect(plan.resources.find((r) => r.type === 'queue')?.deploys).toStrictEqual(
      provider.kept.deploys,
    );
    for (const mine of [requirementConfig, outputs, crudConfig, provider.kept])
      expect(anyFrozen(mine)).toBe(false);
    // The provider changed a copy: the component's next plan sees its requirement as written.
    expect(
      JSON.stringify(defineBackend({ uploads }, { providers: [provider] }).plan()),
    ).not.toContain('touched');
  });

  it('plans the same definitions twice into equal, separately frozen plans', () => {
    const defs = {
      users: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
    };
    const first = defineBackend(defs).plan();
    const second = defineBackend(defs).plan();
    expect(second).not.toBe(first);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(isDeepFrozen(first) && isDeepFrozen(second)).toBe(true);
  });
});

describe('plan() freezes nothing of a definition or its config (every kind, every object-valued option)', () => {
  it("leaves each definition's requirements as define made them and the user's config objects unfrozen", () => {
    const configs = {
      crud: {
        entityName: 'Order',
        schema: {
          id: 'string' as const,
          tenantId: 'string' as const,
          total: { type: 'number' as const, required: true },
        },
        partitionKey: '/tenantId',
        uniqueKeys: ['/tenantId'],
        indexingPolicy: { includedPaths: [{ path: '/*' }], excludedPaths: [{ path: '/blob/?' }] },
        cache: { enabled: true, ttl: 60 },
        healthCheck: { interval: 60, unhealthyThreshold: 3 },
        operations: ['create', 'read', 'list'] as ('create' | 'read' | 'list')[],
      },
      functions: {
        runtime: 'node' as const,
        environmentVariables: { MODE: 'fast' },
        functions: {
          hello: {
            trigger: 'http' as const,
            route: 'hello/{name}',
            methods: ['GET' as const],
            handler: './src/hello.ts',
          },
          work: { trigger: 'queue' as const, queueName: 'orders', handler: './src/work.ts' },
          tick: { trigger: 'timer' as const, schedule: '0 */5 * * * *', handler: './src/tick.ts' },
        },
      },
      site: {
        sourceDirectory: './site',
        buildCommand: 'npm run build',
        customDomain: 'www.contoso.com',
        enableSpaMode: true,
      },
      cdn: {
        sourceDirectory: './cdn',
        buildCommand: 'npm run build',
        cors: { allowedOrigins: ['https://contoso.com'] },
        waf: true,
        cacheMaxAge: 60,
      },
    };
    const backendConfig = {
      environment: 'prod',
      tags: { team: 'orders' },
      corsOrigins: ['https://app.contoso.com'],
      monitoring: { enabled: true, alerting: { emails: ['ops@contoso.com'] } },
      networking: { mode: 'isolated' as const, deployerAddresses: ['203.0.113.7'] },
      cosmosConfig: { failoverPolicies: [{ locationName: 'westus2', priority: 1 }] },
      auth: { devOrigins: ['http://localhost:3000'] },
    };
    const defs: Record<string, AnyDefinition> = {
      orders: CrudApi.define('OrderApi', configs.crud),
      worker: FunctionsApp.define('Worker', configs.functions),
      site: StaticSite.define('Site', configs.site),
      cdn: StaticSiteWithCdn.define('Cdn', configs.cdn),
    };
    const ctx = { componentId: '', config: normalizeConfig(backendConfig) };
    const before = Object.values(defs).map((d) =>
      JSON.stringify((d as ComponentDefinition).requirements(ctx)),
    );
    // What define made frozen plain data (the CRUD runtime's entity, a Function App's hosted functions) stays so.
    const entity = (path: string) =>
      /^\.\d+\.config\.(crudEntities|hostedFunctions)$|^\.\d+\.config\.crudEntities\.\d+$/.test(
        path,
      );
    const frozenAtDefine = Object.values(defs).map((d) =>
      frozenPaths((d as ComponentDefinition).requirements(ctx), entity),
    );

    const plan = defineBackend(defs, backendConfig).plan();
    expect(isDeepFrozen(plan)).toBe(true);
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    Object.values(defs).forEach((d, i) => {
      const reqs = (d as ComponentDefinition).requirements(ctx);
      expect(JSON.stringify(reqs)).toBe(before[i]);
      expect(frozenPaths(reqs, entity)).toEqual(frozenAtDefine[i]);
    });
    for (const mine of [...Object.values(configs), backendConfig])
      expect(frozenPaths(mine, () => false)).toEqual([]);
  });
});

describe('which definitions the planner trusts', () => {
  it("a built-in kind's own definition only: a spread copy (which may carry the user's requirements) is copied like a custom one", () => {
    const def = CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } });
    expect(isBuiltInDefinition(def)).toBe(true);
    expect(isBuiltInDefinition({ ...def })).toBe(false);
    const mine = { resourceType: 'storage', requirementKey: 'x', config: { containers: ['kept'] } };
    const copy = { ...def, componentId: 'Other', requirements: () => [mine] };
    const plan = defineBackend({ copy }).plan();
    expect(isDeepFrozen(plan)).toBe(true);
    expect(anyFrozen(mine)).toBe(false);
  });
});
