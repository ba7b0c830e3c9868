import type { Backend } from '../../backend/backend.js';
import { DEPLOYER_ADMISSION_CONTEXT } from '../../kit/cdktf/deployer-admission.js';
import { changedResources, stackConfig, type StackAdmission } from './admission-steps.js';
import { synthStacks, type SynthesizedStack, type SynthOptions } from '../entry/synth-stacks.js';

/** What {@link synthAdmitting} made: the stacks (synthesized with the address) and each one's admission. */
export interface AdmittedSynth {
  readonly stacks: SynthesizedStack[];
  /** Stack name → its admission; stacks without an IP rule list have none. */
  readonly admissions: ReadonlyMap<string, StackAdmission>;
}

/**
 * Synthesize twice — without the address (what the removal applies), then with it (what the run deploys) —
 * and keep, per stack, the resources whose blocks differ: the firewalls whose IP rules hold the address. Both
 * synths carry the admission context, so the accounts deny by default in both and only `ip_rules` differ
 * (kit/cdktf/deployer-admission.ts). Terraform itself then adds the address with the run's apply and removes
 * it again; an address added out of band would be drift the apply removes.
 *
 * @example
 * ```ts
 * const { stacks, admissions } = await synthAdmitting(backends, { outdir: 'cdktf.out', log }, '203.0.113.7');
 * admissions.get('backend-prod')?.targets; // ['azurerm_storage_account.backend_functions_shared_deployment_storage']
 * ```
 */
export async function synthAdmitting(
  backends: readonly Backend[],
  options: SynthOptions,
  address: string,
): Promise<AdmittedSynth> {
  const without = await synthStacks(backends, {
    ...options,
    log: () => undefined,
    context: { [DEPLOYER_ADMISSION_CONTEXT]: { address: null } },
  });
  const removed = new Map(without.map((s) => [s.name, stackConfig(s)]));
  const stacks = await synthStacks(backends, {
    ...options,
    context: { [DEPLOYER_ADMISSION_CONTEXT]: { address } },
  });
  const admissions = new Map<string, StackAdmission>();
  for (const s of stacks) {
    const before = removed.get(s.name);
    if (before === undefined) continue;
    const admitted = stackConfig(s);
    const changed = changedResources(before, admitted);
    if (changed.length > 0)
      admissions.set(s.name, {
        address,
        targets: changed.map((c) => c.address),
        names: changed.map((c) => c.name),
        admitted,
        removed: before,
      });
  }
  return { stacks, admissions };
}
