import type { OutputContext } from '../../model/component.js';
import type { NormalizedConfig } from '../../model/config.js';
import { AtakoraError } from '../../model/errors.js';
import type { JsonValue, PlannedComponent, PlannedResource } from '../../model/plan.js';
import { isBuiltInDefinition } from '../../kit/pure/component-definition.js';
import { compare } from '../../kit/pure/resources/merge-strategies.js';
import { frozenPlainData } from '../../kit/pure/plain-data.js';
import type { ResourceKey } from '../../kit/pure/names/resource-key.js';
import type { PlanComponent } from '../plan-input.js';

/** Phase 6: each component's `outputs()` computes its handle values (`apiEndpoint`, …) from the resources it uses. */
export function outputs(
  components: readonly PlanComponent[],
  usage: ReadonlyMap<string, Readonly<Record<string, ResourceKey>>>,
  resources: readonly PlannedResource[],
  config: NormalizedConfig,
): PlannedComponent[] {
  const byKey = new Map(resources.map((r) => [r.key, r]));
  // One lookup function per usage record (components on the same resources share one, plan/phases/group.ts) and one
  // for the whole plan, rather than two closures per component.
  const lookups = new Map<Readonly<Record<string, ResourceKey>>, OutputContext['resource']>();
  const sortedUsage = new Map<
    Readonly<Record<string, ResourceKey>>,
    Readonly<Record<string, ResourceKey>>
  >();
  const resourcesOfType = ofType(resources);
  return components.map((c) => {
    const d = c.definition;
    const used = usage.get(d.componentId) ?? {};
    let resource = lookups.get(used);
    if (!resource) lookups.set(used, (resource = resourceOf(used, byKey)));
    // Sorted once per record too, and plain data (usually the record itself, kit/pure/plain-data.ts): the plan
    // places the one record for all the components that share it.
    let resourcesOfComponent = sortedUsage.get(used);
    if (!resourcesOfComponent)
      sortedUsage.set(used, (resourcesOfComponent = frozenPlainData(sortRecord(used))));
    const ctx: OutputContext = {
      componentId: d.componentId,
      componentKey: c.key,
      config,
      resource,
      resourcesOfType,
    };
    let values: Readonly<Record<string, JsonValue>> = {};
    try {
      values = d.outputs?.(ctx) ?? {};
      // A custom component's outputs may hold its own objects: copied, so freezing the plan never freezes them.
      if (!isBuiltInDefinition(d)) values = frozenPlainData(values);
    } catch (e) {
      if (e instanceof AtakoraError) throw e;
      throw new AtakoraError(
        'COMPONENT_INVALID',
        `Component ${d.componentId} failed to compute its outputs: ${e instanceof Error ? e.message : String(e)}`,
        { path: ['components', c.key], cause: e },
      );
    }
    return {
      key: c.key,
      id: d.componentId,
      type: d.componentType,
      resources: resourcesOfComponent,
      outputs: sortRecord(values),
    };
  });
}

// Made by factories, not written inline: the bundle's keepNames gives every named closure its name at creation.
function resourceOf(
  used: Readonly<Record<string, ResourceKey>>,
  byKey: ReadonlyMap<string, PlannedResource>,
): OutputContext['resource'] {
  return (type) => (used[type] ? byKey.get(used[type]) : undefined);
}

function ofType(
  resources: readonly PlannedResource[],
): NonNullable<OutputContext['resourcesOfType']> {
  return (type) => resources.filter((r) => r.type === type);
}

function sortRecord<T>(r: Readonly<Record<string, T>>): Readonly<Record<string, T>> {
  // Usually already in order (a component's outputs are written in order, its resources come in key order):
  // then the record itself, without an entries array, a sort and a new object per component.
  // for…in, not Object.keys: no array per component for the check (records here are plain objects).
  let previous: string | undefined;
  for (const k in r) {
    if (previous !== undefined && compare(previous, k) >= 0)
      return Object.fromEntries(Object.entries(r).sort(([a], [b]) => compare(a, b)));
    previous = k;
  }
  return r;
}
