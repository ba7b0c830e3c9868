import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Backend } from '../backend/backend.js';
import { ResourceGroupStack } from '../apply/resource-group-stack.js';
import { cdktf } from '../kit/cdktf/cdk-modules.js';
import type { ResourcePlan } from '../model/plan.js';

/**
 * The synthesized Terraform JSON of one stack, as cdktf writes it: `resource` and `data` by Terraform type
 * then logical name, for assertions on exactly what Terraform will receive.
 *
 * @example
 * ```ts
 * const json: SynthesizedStack = synthBackend(backend);
 * json.resource?.azurerm_linux_function_app; // { backend_functions_shared: { … } }
 * ```
 */
export interface SynthesizedStack {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, { value: unknown }>;
  readonly [k: string]: unknown;
}

/**
 * Apply a backend to a fresh test stack and return the synthesized JSON (through cdktf's `Testing`), for
 * your own assertions about what a backend produces. The app's output folder is a temporary one it makes (the
 * temp dir too, when `TMPDIR` names one not made yet) and removes before it returns.
 *
 * @example
 * ```ts
 * import { expect } from 'vitest';
 * import { defineBackend } from '@atakora/component/backend';
 * import { CrudApi } from '@atakora/component/crud';
 *
 * const backend = defineBackend({
 *   users: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string', name: 'string' } }),
 * });
 * const json = synthBackend(backend);
 * expect(Object.keys(json.resource?.azurerm_cosmosdb_account ?? {})).toHaveLength(1);
 * ```
 */
export function synthBackend(
  backend: Backend,
  stack: { resourceGroupName?: string; location?: string } = {},
): SynthesizedStack {
  // The JSON is synthesized in memory, but cdktf's App makes its output folder: one of ours (Testing.app()'s own
  // assumes the temp dir exists: ENOENT where TMPDIR names a folder not made), removed once done.
  const temp = tmpdir();
  mkdirSync(temp, { recursive: true });
  const app = cdktf.Testing.app({ outdir: mkdtempSync(join(temp, 'cdktf.outdir.')) });
  try {
    const s = new ResourceGroupStack(app, 'TestStack', {
      resourceGroupName: stack.resourceGroupName ?? 'rg-test',
      location: stack.location ?? backend.location,
    });
    backend.apply(s);
    return JSON.parse(cdktf.Testing.synth(s)) as SynthesizedStack;
  } finally {
    rmSync(app.outdir, { recursive: true, force: true });
  }
}

/**
 * `terraformType.name` of every resource in a synthesized stack (the resource group excluded), sorted. With
 * {@link plannedAddresses} it checks that what apply created is exactly what the plan promised.
 *
 * @example
 * ```ts
 * import { expect } from 'vitest';
 * expect(synthesizedAddresses(synthBackend(backend))).toEqual(plannedAddresses(backend.plan()));
 * ```
 */
export function synthesizedAddresses(json: SynthesizedStack): string[] {
  return Object.entries(json.resource ?? {})
    .filter(([type]) => type !== 'azurerm_resource_group')
    .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
    .sort();
}

/**
 * `terraformType.name` of every deploy the plan promises, sorted: the plan side of the
 * {@link synthesizedAddresses} comparison, and a quick snapshot of what a backend will create.
 *
 * @example
 * ```ts
 * import { expect } from 'vitest';
 * expect(plannedAddresses(backend.plan())).toContain('azurerm_cosmosdb_account.backend_cosmos_shared');
 * ```
 */
export function plannedAddresses(plan: ResourcePlan): string[] {
  return plan.resources.flatMap((r) => r.deploys.map((d) => `${d.terraformType}.${d.name}`)).sort();
}
