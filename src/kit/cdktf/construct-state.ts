import type { IConstruct } from 'constructs';
import { constructs } from './cdk-modules.js';

/**
 * A piece of state kept on the construct tree (see {@link constructState}): the id of the hidden child that holds
 * it, and how to make it the first time.
 */
export interface StateKey<T> {
  readonly id: string;
  readonly make: () => T;
}

/**
 * A {@link StateKey}. Give `id` a prefix no other child of the scope can have (`atakora.` — a backend's own
 * scope is `atakora-<backendId>`).
 *
 * @example
 * ```ts
 * const APPLIED_BACKENDS = stateKey('atakora.applied-backends', () => new Set<string>());
 * ```
 */
export function stateKey<T extends object>(id: string, make: () => T): StateKey<T> {
  return { id, make };
}

/** A child construct that only holds a value: it has no Terraform elements, so it adds nothing to the synth. */
class StateHolder<T> extends constructs.Construct {
  constructor(
    scope: IConstruct,
    id: string,
    readonly state: T,
  ) {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- `node.root` (the app, which holds app-wide state) is typed IConstruct; any construct of a tree can be a scope
    super(scope, id);
  }
}

/**
 * State that belongs to a construct (the backends applied to a stack, the global names claimed in an app),
 * kept on the construct tree rather than in a module-level map: a hidden child `key.id` of `scope` holds it,
 * made with `key.make()` on first use and found again with `node.tryFindChild`. It lives and dies with the tree,
 * and every copy of the apply layer in one process (the built package's and one run from source, side by side)
 * sees the same state, which a module's own map did not. constructs 10 has no writable context once
 * a construct has children
 * (`node.setContext` throws then), hence a child. Found by its `state` property, not by class: the holder may
 * come from another copy.
 *
 * @example
 * ```ts
 * constructState(stack, APPLIED_BACKENDS).add(plan.backendId);
 * ```
 */
export function constructState<T>(scope: IConstruct, key: StateKey<T>): T {
  return foundState(scope, key) ?? new StateHolder(scope, key.id, key.make()).state;
}

/**
 * The state {@link constructState} keeps under `key`, or undefined when there is none yet — for a check that
 * must leave the tree untouched when it refuses.
 *
 * @example
 * ```ts
 * if (foundState(stack, APPLIED_BACKENDS)?.has(plan.backendId)) throw duplicate();
 * ```
 */
export function foundState<T>(scope: IConstruct, key: StateKey<T>): T | undefined {
  return (scope.node.tryFindChild(key.id) as { readonly state?: T } | undefined)?.state;
}
