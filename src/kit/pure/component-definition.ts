import { DEFINITION_BRAND, type ComponentDefinition } from '../../model/component.js';
import type { ResourceRequirement } from '../../model/requirements.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyComponentDefinition = ComponentDefinition<string, string, any, any>;

// A mark on the definition itself that points at it (a WeakSet entry or a defineProperty per definition cost
// define more): a copy made with spread carries the mark pointing at the original, so only define's own
// result is trusted.
const BUILT_IN = Symbol('atakora.builtInDefinition');

/**
 * The one way a `define` function makes its result: branded (so `defineBackend` tells definitions from
 * config) and frozen (a definition never changes after `define` checked it).
 *
 * @example
 * ```ts
 * return componentDefinition<CrudApiDefinition<TId>>({ componentId: id, componentType: 'CrudApi', config, priority, requirements: () => reqs });
 * ```
 */
export function componentDefinition<D extends AnyComponentDefinition>(
  parts: Omit<D, typeof DEFINITION_BRAND | '__handle'>,
): D {
  return branded<D>(parts, false);
}

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- D is the definition type the caller names (see below)
function branded<D>(parts: object, builtIn: boolean): D {
  const definition: Record<PropertyKey, unknown> = { [DEFINITION_BRAND]: true as const, ...parts };
  if (builtIn) definition[BUILT_IN] = definition;
  // The brand (a symbol key) and `__handle` (a phantom type) are what `D` adds to `parts`: they exist only as
  // types or as the symbol set here, so the frozen object is a `D` that TypeScript cannot derive from its parts.
  return Object.freeze(definition) as unknown as D;
}

/**
 * A built-in kind's definition (CrudApi, FunctionsApp, the static sites). The planner takes its requirements
 * as they are, not copied: they are built by define from fresh objects, never the user's config objects, and
 * the built-in resource types copy what they keep of them (or define made it frozen plain data, as a CrudApi's
 * runtime entity). Its `outputs` build fresh values on each call, so the planner freezes them in place. A
 * custom component's requirements and outputs are copied on every plan instead (see {@link isBuiltInDefinition}).
 *
 * @example
 * ```ts
 * return builtInDefinition<CrudApiDefinition<TId>>({ componentId: id, componentType: 'CrudApi', config, priority, requirements: [cosmos, functions, storage], outputs });
 * ```
 */
export function builtInDefinition<D extends AnyComponentDefinition>(
  parts: Omit<D, typeof DEFINITION_BRAND | '__handle' | 'requirements'> & {
    readonly requirements: readonly ResourceRequirement[];
  },
): D {
  return branded<D>({ ...parts, requirements: constant(parts.requirements) }, true);
}

// A factory, not an inline closure: the bundle's keepNames would name each definition's closure with a
// defineProperty, a dictionary-mode function of about 300 bytes per definition.
function constant<T>(value: T): () => T {
  return () => value;
}

/**
 * Whether a definition was made by {@link builtInDefinition}: its requirements hold none of the user's
 * objects and its outputs are its own fresh objects.
 *
 * @example
 * ```ts
 * isBuiltInDefinition(CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } })); // true
 * ```
 */
export function isBuiltInDefinition(definition: object): boolean {
  return (definition as { [BUILT_IN]?: unknown })[BUILT_IN] === definition;
}
