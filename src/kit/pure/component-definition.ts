import { DEFINITION_BRAND, type ComponentDefinition } from '../../model/component.js';
import type { ResourceRequirement } from '../../model/requirements.js';
import { frozenPlainData } from './plain-data.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyComponentDefinition = ComponentDefinition<string, string, any, any>;

/**
 * The one way a `define` function makes its result: branded (so `defineBackend` tells definitions from
 * config) and frozen (a definition never changes after `define` checked it).
 *
 * @example
 * ```ts
 * return componentDefinition<CrudApiDefinition<TId>>({ componentId: id, componentType: 'CrudApi', config, priority, requirements: () => reqs });
 * ```
 */
export function componentDefinition<D extends AnyComponentDefinition>(parts: Omit<D, typeof DEFINITION_BRAND | '__handle'>): D {
  return Object.freeze({ [DEFINITION_BRAND]: true as const, ...parts }) as unknown as D;
}

const builtIns = new WeakSet<object>();

/**
 * A built-in kind's definition (CrudApi, FunctionsApp, the static sites): its requirements, fixed at define,
 * are made plain and frozen here once, so every plan of it takes them as they are; and its `outputs` build
 * fresh values on each call (or return frozen plain data), so the planner may freeze them in place instead
 * of copying them (see {@link isBuiltInDefinition}). A custom component's are copied on every plan.
 *
 * @example
 * ```ts
 * return builtInDefinition<CrudApiDefinition<TId>>({ componentId: id, componentType: 'CrudApi', config, priority, requirements: [cosmos, functions, storage], outputs });
 * ```
 */
export function builtInDefinition<D extends AnyComponentDefinition>(
  parts: Omit<D, typeof DEFINITION_BRAND | '__handle' | 'requirements'> & { readonly requirements: readonly ResourceRequirement[] },
): D {
  const requirements = frozenPlainData(parts.requirements);
  const definition = componentDefinition<D>({ ...parts, requirements: () => requirements } as unknown as Omit<D, typeof DEFINITION_BRAND | '__handle'>);
  builtIns.add(definition);
  return definition;
}

/**
 * Whether a definition was made by {@link builtInDefinition}: its requirements are frozen plain data and its
 * outputs are its own fresh objects.
 *
 * @example
 * ```ts
 * isBuiltInDefinition(CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } })); // true
 * ```
 */
export function isBuiltInDefinition(definition: object): boolean {
  return builtIns.has(definition);
}
