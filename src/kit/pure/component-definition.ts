import { DEFINITION_BRAND, type ComponentDefinition } from '../../model/component.js';

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
