import type { OutputContext } from '../model/component.js';
import type { NormalizedConfig } from '../model/config.js';
import { AtakoraError } from '../model/errors.js';
import type { JsonValue, PlannedComponent, PlannedResource } from '../model/plan.js';
import { compare } from '../kit/pure/merge-strategies.js';
import type { ResourceKey } from '../kit/pure/resource-key.js';
import type { PlanComponent } from './plan-input.js';

/** Phase 6: each component's `outputs()` computes its handle values (`apiEndpoint`, …) from the resources it uses. */
export function outputs(
  components: readonly PlanComponent[], usage: ReadonlyMap<string, Readonly<Record<string, ResourceKey>>>, resources: readonly PlannedResource[], config: NormalizedConfig,
): PlannedComponent[] {
  const byKey = new Map(resources.map((r) => [r.key, r]));
  return components.map((c) => {
    const d = c.definition;
    const used = usage.get(d.componentId) ?? {};
    const ctx: OutputContext = {
      componentId: d.componentId, componentKey: c.key, config, resource: (type) => (used[type] ? byKey.get(used[type]) : undefined),
      resourcesOfType: (type) => resources.filter((r) => r.type === type),
    };
    let values: Readonly<Record<string, JsonValue>> = {};
    try {
      values = d.outputs?.(ctx) ?? {};
    } catch (e) {
      if (e instanceof AtakoraError) throw e;
      throw new AtakoraError('COMPONENT_INVALID', `Component ${d.componentId} failed to compute its outputs: ${e instanceof Error ? e.message : String(e)}`, { path: ['components', c.key], cause: e });
    }
    return { key: c.key, id: d.componentId, type: d.componentType, resources: sortRecord(used), outputs: sortRecord(values) };
  });
}

function sortRecord<T>(r: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => compare(a, b)));
}
