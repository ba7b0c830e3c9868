import { Testing } from 'cdktf';
import { expect } from 'vitest';
import { ResourceGroupStack } from '../../src/apply/resource-group-stack.js';
import type { Backend } from '../../src/backend/backend.js';
import { AtakoraError } from '../../src/model/errors.js';
import type { ResourcePlan } from '../../src/model/plan.js';
import { plannedAddresses, synthBackend, synthesizedAddresses, type SynthesizedStack } from '../../src/testing/synth-backend.js';

/** A backend applied to a fresh `ResourceGroupStack('S', rg, eastus)` and synthesized through cdktf's Testing. */
export function synth(backend: Backend): SynthesizedStack & { resource: NonNullable<SynthesizedStack['resource']> } {
  const json = synthBackend(backend, { resourceGroupName: 'rg', location: 'eastus' });
  return { ...json, resource: json.resource ?? {} };
}

/** Like {@link synth}, with the synthesized text too (for cdktf's `toHaveResourceWithProperties`). */
export function synthText(backend: Backend, resourceGroupName = 'rg'): { text: string; json: ReturnType<typeof synth> } {
  const stack = new ResourceGroupStack(Testing.app(), 'S', { resourceGroupName, location: 'eastus' });
  backend.apply(stack);
  const text = Testing.synth(stack);
  const json = JSON.parse(text) as SynthesizedStack;
  return { text, json: { ...json, resource: json.resource ?? {} } };
}

/** The honesty check: planned deploys equal the synthesized resources (minus the stack's resource group). */
export function expectHonest(plan: ResourcePlan, json: SynthesizedStack): void {
  expect(synthesizedAddresses(json)).toEqual(plannedAddresses(plan));
}

/** The AtakoraError code `f` throws (failing the test on any other error), or undefined. */
export function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AtakoraError);
    return (e as AtakoraError).code;
  }
  return undefined;
}

/** The AtakoraError `fn` throws; the test fails when it throws anything else, or nothing. */
export function thrown(fn: () => unknown): AtakoraError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AtakoraError);
    return e as AtakoraError;
  }
  throw new Error('expected an AtakoraError');
}
