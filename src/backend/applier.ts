import { createRequire } from 'node:module';
import type { AppliedBackend, ApplyOptions } from '../apply/apply-backend.js';
import { AtakoraError } from '../model/errors.js';
import type { ResourcePlan } from '../model/plan.js';

type Applier = (stack: unknown, plan: ResourcePlan, options: ApplyOptions) => AppliedBackend;

let applier: Applier | undefined;

/**
 * The cdktf side registers itself here when it loads (importing `ResourceGroupStack` loads it), so that
 * declaring and planning a backend never loads cdktf: `defineBackend(...).plan()` stays pure and fast to
 * import, and `apply` finds the applier once a stack exists.
 */
export function registerApplier(fn: Applier): void {
  applier = fn;
}

/** The registered applier, loaded on demand from the built package when nothing registered it yet. */
export function getApplier(): Applier {
  if (!applier) {
    try {
      // A TerraformStack built without ResourceGroupStack: load the apply layer synchronously (require(esm)).
      createRequire(import.meta.url)('../apply/apply-backend.js');
    } catch (e) {
      throw new AtakoraError('STACK_INVALID', 'The apply layer is not loaded.', {
        path: ['stack'], cause: e,
        resolution: "Create the stack with ResourceGroupStack from '@atakora/component/cdk' (importing it loads the apply layer).",
      });
    }
  }
  return applier!;
}
