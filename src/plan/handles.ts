import type { ComponentHandle } from '../model/component.js';
import type { JsonValue, ResourcePlan } from '../model/plan.js';

/**
 * The components' handles, by key, from a plan: each component's outputs plus its key, id, type and resources,
 * frozen. `value` maps every string inside the outputs (apply turns Terraform expressions into tokens of its
 * own constructs with it); by default values are the plan's.
 *
 * @example
 * ```ts
 * componentHandles(backend.plan())['userApi']; // { apiEndpoint: 'https://func-…-tgtxxx.azurewebsites.net/api/users', … }
 * ```
 */
export function componentHandles(
  plan: ResourcePlan,
  value: (s: string) => string = (s) => s,
): Readonly<Record<string, ComponentHandle>> {
  const handles: Record<string, ComponentHandle> = {};
  for (const c of plan.components) {
    const outputs = Object.fromEntries(
      Object.entries(c.outputs).map(([k, v]) => [k, mapStrings(v, value)]),
    );
    handles[c.key] = Object.freeze({
      ...outputs,
      key: c.key,
      componentId: c.id,
      componentType: c.type,
      resources: c.resources,
    });
  }
  return Object.freeze(handles);
}

function mapStrings(v: JsonValue, value: (s: string) => string): JsonValue {
  if (typeof v === 'string') return value(v);
  if (Array.isArray(v)) return (v as readonly JsonValue[]).map((x) => mapStrings(x, value));
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v as { [k: string]: JsonValue }).map(([k, x]) => [k, mapStrings(x, value)]),
    );
  return v;
}
