import type { PlanComponent } from '../plan-input.js';

/** Component id → the key users gave it, as the issues' paths need it: a Map's `get`, or {@link lazyKeyOf}. */
export type KeyOf = Pick<ReadonlyMap<string, string>, 'get'>;

/**
 * {@link KeyOf} for the planner's components, made on the first question: only a phase that reports an issue
 * asks (the route phases, for its path), so a plan without such issues never builds a map of every component.
 *
 * @example
 * ```ts
 * const keyOf = lazyKeyOf(components);
 * keyOf.get('UserApi'); // 'users'
 * ```
 */
export function lazyKeyOf(components: readonly PlanComponent[]): KeyOf {
  let byId: Map<string, string> | undefined;
  return {
    get(id) {
      if (byId === undefined) {
        byId = new Map();
        for (const c of components) byId.set(c.definition.componentId, c.key);
      }
      return byId.get(id);
    },
  };
}
