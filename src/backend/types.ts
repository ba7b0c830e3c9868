import type { AnyDefinition, ComponentHandle, HandleOf } from '../model/component.js';
import type { BackendConfig } from '../model/config.js';

/** A misuse shown as a type error at the call, in tRPC's manner. */
export interface TypeError<TMessage extends string> {
  readonly __typeError: TMessage;
}

/** Handles by key (the components added inside `when(...)` are optional entries, which this admits). */
export type HandleMap = { readonly [key: string]: ComponentHandle };

/** What the object form accepts: config keys with their types, anything else a component definition. */
export type BackendInput<T> = {
  readonly [K in keyof T]: K extends keyof BackendConfig ? BackendConfig[K] : AnyDefinition;
};

/** The handles of an object-form input: definition-valued keys only. */
export type ComponentsOf<T> = {
  readonly [K in keyof T as T[K] extends AnyDefinition ? K : never]: HandleOf<T[K]>;
};

export type HasDefinitions<T> = [keyof ComponentsOf<T>] extends [never] ? false : true;

/**
 * Error type when a key is already taken. `TKeys` is the builder's own union of taken keys: checking a
 * literal against a union is a binary search in the compiler, whereas `keyof` of the accumulated
 * intersection of handles is rebuilt at every call (quadratic over a chain).
 *
 * Written as "nothing of `K` is left after `Exclude<K, TKeys>`" — the same test as `[K] extends [TKeys]`,
 * unions and `never` included — rather than `[K] extends [TKeys] ? TypeError<…K…> : unknown`, on purpose
 * (type-check cost). In the latter, `K` in the true branch is a substitution type (`K` known to
 * extend `TKeys`); while `addComponent` infers `D`, the compiler simplifies the parameter type
 * `D & NotTaken<TKeys, D['componentId']>` and instantiates that branch with the still generic
 * `D['componentId']`, which it then relates to every member of `TKeys` in turn: O(n) per call, O(n²) over a
 * chain (about −30% check time at 500 calls once removed). Checking `Exclude<K, TKeys>` instead leaves `K`
 * in the message an ordinary type parameter, and with a literal `K` it is one binary search in the union.
 * No `[…]` around the checked type: `Exclude<K, TKeys>` is no naked type parameter, so the conditional does not
 * distribute anyway (unions and `never` answer as with the brackets), and the two tuple types each instantiation
 * made cost ~1,000 instantiations and ~2,500 types over a 500-call chain (bench/typecheck.ts).
 */
export type NotTaken<TKeys extends string, K extends string> =
  Exclude<K, TKeys> extends never ? TypeError<`Component "${K}" already added`> : unknown;

/** One added component: `{ readonly [key]: handle }`. A named alias, so each call instantiates it once. */
export type Entry<K extends string, D> = { readonly [P in K]: HandleOf<D> };

/**
 * The handles a `when(...)` callback added, optional: keys in `TAdded` (those of the builder the callback
 * returned) but not in `TKeys` (those taken before the call), each `handle | undefined`. `U` is read only at a
 * key's use (`P & keyof U`, not `keyof U` in the keys): listing the keys of n handles costs the compiler n².
 */
export type OptionalEntries<U, TAdded extends string, TKeys extends string> = {
  readonly [P in Exclude<TAdded, TKeys>]?: U[P & keyof U];
};

/**
 * A builder's taken keys, as its type-only `[keys]` member holds them: a method's parameter, so `BackendBuilder`
 * stays as assignable across `TKeys` as before the member (methods' parameters compare both ways).
 */
export interface KeysBox<K> {
  take(key: K): void;
}

/** The keys a {@link KeysBox} holds. */
export type KeysIn<X> = X extends KeysBox<infer K extends string> ? K : never;

/** Flatten an intersection for readable hovers. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};
