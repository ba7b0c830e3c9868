import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import { diffPlans } from '../../src/plan/diff/diff.js';
import { renderDiffMarkdown } from '../../src/plan/render/markdown.js';
import { renderDiffText } from '../../src/plan/render/text.js';

// A change of the Function App's settings was reported on a component's identity, because the
// "primary" Terraform resource of a planned resource was taken to be the one with the shortest name, and
// `shop_identity_Api` is shorter than `shop_functions_shared`.
const opts = { environment: 'prod', location: 'eastus', backendId: 'shop' } as const;
const app = (env: Record<string, string>, handler = './src/work.ts') =>
  FunctionsApp.define('Api', {
    runtime: 'node',
    environmentVariables: env,
    functions: { work: { trigger: 'queue', queueName: 'jobs', handler } },
  });
const APP = 'azurerm_function_app_flex_consumption.shop_functions_shared';

describe('diffPlans: each change is reported on the Terraform resource that changes', () => {
  it('an app setting of a component with a short id lands on the Function App, not on its identity', () => {
    const before = defineBackend({ api: app({ MODE: 'a' }) }, opts).plan();
    const after = defineBackend({ api: app({ MODE: 'b' }) }, opts).plan();
    // The premise: the identity's logical name is shorter than the app's.
    const deploys = after.resources
      .find((r) => r.key === 'functions:shared')!
      .deploys.map((d) => `${d.terraformType}.${d.name}`);
    expect(deploys).toContain('azurerm_user_assigned_identity.shop_identity_Api');
    expect('shop_identity_Api'.length).toBeLessThan('shop_functions_shared'.length);

    const d = diffPlans(before, after);
    expect(d.deploys.changes.map((c) => [c.address, c.paths])).toEqual([
      [APP, ['appSettings.MODE']],
    ]);
    const md = renderDiffMarkdown(d);
    expect(md).toContain(`| update | \`${APP}\` | \`appSettings.MODE\` |`);
    expect(md).not.toContain('azurerm_user_assigned_identity');
  });

  it("a CrudApi's schema change (the runtime manifest, an app setting) lands on the Function App", () => {
    const crud = (extra: Record<string, 'string' | 'number'>) =>
      CrudApi.define('Api', {
        entityName: 'Item',
        schema: { id: 'string', ...extra },
        partitionKey: '/id',
      });
    const d = diffPlans(
      defineBackend({ api: crud({}) }, opts).plan(),
      defineBackend({ api: crud({ price: 'number' }) }, opts).plan(),
    );
    expect(d.deploys.changes.map((c) => c.address)).toEqual([APP]);
    expect(d.deploys.changes[0]!.paths.every((p) => p.startsWith('crudEntities'))).toBe(true);
  });

  it("a handler change lands on the app's package blob, the Terraform resource whose content changes", () => {
    const d = diffPlans(
      defineBackend({ api: app({}) }, opts).plan(),
      defineBackend({ api: app({}, './src/other.ts') }, opts).plan(),
    );
    expect(d.deploys.changes.map((c) => c.address)).toEqual([
      'azurerm_storage_blob.shop_functions_shared_package_blob',
    ]);
  });
});

describe('renderDiffText names the Terraform resource each change updates', () => {
  it('under the changed resource, the app, never the identity', () => {
    const text = renderDiffText(
      diffPlans(
        defineBackend({ api: app({ MODE: 'a' }) }, opts).plan(),
        defineBackend({ api: app({ MODE: 'b' }) }, opts).plan(),
      ),
    );
    expect(text).toContain(`      appSettings.MODE: "a" → "b"\n      updates ${APP}\n`);
    expect(text).not.toContain('azurerm_user_assigned_identity');
  });
});
