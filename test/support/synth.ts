import { Testing } from './engine.js';
import { expect } from 'vitest';
import { ResourceGroupStack } from '../../src/apply/resource-group-stack.js';
import type { Backend } from '../../src/backend/backend.js';
import type { ResourcePlan } from '../../src/model/plan.js';
import {
  plannedAddresses,
  synthBackend,
  synthesizedAddresses,
  type SynthesizedStack,
} from '../../src/testing/synth-backend.js';

/** A backend applied to a fresh `ResourceGroupStack('S', rg, eastus)` and synthesized through cdktf's Testing. */
export function synth(
  backend: Backend,
): SynthesizedStack & { resource: NonNullable<SynthesizedStack['resource']> } {
  const json = synthBackend(backend, { resourceGroupName: 'rg', location: 'eastus' });
  return { ...json, resource: json.resource ?? {} };
}

/** Like {@link synth}, with the synthesized text too (for cdktf's `toHaveResourceWithProperties`). */
export function synthText(
  backend: Backend,
  resourceGroupName = 'rg',
): { text: string; json: ReturnType<typeof synth> } {
  const stack = new ResourceGroupStack(Testing.app(), 'S', {
    resourceGroupName,
    location: 'eastus',
  });
  backend.apply(stack);
  const text = Testing.synth(stack);
  const json = JSON.parse(text) as SynthesizedStack;
  return { text, json: { ...json, resource: json.resource ?? {} } };
}

/** The honesty check: planned deploys equal the synthesized resources (minus the stack's resource group). */
export function expectHonest(plan: ResourcePlan, json: SynthesizedStack): void {
  expect(synthesizedAddresses(json)).toEqual(plannedAddresses(plan));
}

// The error helpers live in ./errors.ts (no cdktf there); re-exported for the tests that synthesize too.
export { codeOf, thrown } from './errors.js';
