import { AtakoraError } from '../model/errors.js';
import type { SourcedRequirement } from '../model/requirements.js';
import type { PlanComponent, PlanInput } from './plan-input.js';

/**
 * Phase 1: ask every component for its requirements. A component that needs a Function App and asks for
 * no storage gets the host storage it cannot run without.
 */
export function collect(input: PlanInput, components: readonly PlanComponent[]): SourcedRequirement[] {
  const out: SourcedRequirement[] = [];
  for (const c of components) {
    const d = c.definition;
    let reqs;
    try {
      reqs = d.requirements({ componentId: d.componentId, config: input.config });
    } catch (e) {
      if (e instanceof AtakoraError) throw e;
      throw new AtakoraError('COMPONENT_INVALID', `Component ${d.componentId} failed to list its requirements: ${(e as Error)?.message ?? String(e)}`, {
        path: ['components', c.key], cause: e,
      });
    }
    if (!Array.isArray(reqs)) {
      throw new AtakoraError('COMPONENT_INVALID', `Component ${d.componentId} returned requirements that are not an array.`, { path: ['components', c.key] });
    }
    reqs.forEach((requirement, index) => {
      if (!requirement || typeof requirement.resourceType !== 'string' || typeof requirement.config !== 'object' || requirement.config === null) {
        throw new AtakoraError('COMPONENT_INVALID', `Requirement ${index} of ${d.componentId} needs a resourceType string and a config object.`, {
          path: ['components', c.key, 'requirements', index],
        });
      }
      out.push({ componentId: d.componentId, componentKey: c.key, componentType: d.componentType, requirement, index });
    });
    if (reqs.some((r) => r.resourceType === 'functions') && !reqs.some((r) => r.resourceType === 'storage')) {
      out.push({
        componentId: d.componentId, componentKey: c.key, componentType: d.componentType, index: reqs.length,
        requirement: { resourceType: 'storage', requirementKey: `${d.componentId}-host-storage`, config: {} },
      });
    }
  }
  return out;
}
