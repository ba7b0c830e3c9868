import { freeze } from 'immer';
import type { AnyDefinition, ComponentDefinition } from '../model/component.js';
import type {
  BackendConfig,
  MonitoringConfig,
  NamingConvention,
  NetworkingConfig,
  ResourceLimits,
} from '../model/config.js';
import { AtakoraError } from '../model/errors.js';
import type { ResourcePlan } from '../model/plan.js';
import { adaptDefinition } from './adapt-definition.js';
import { Backend } from './backend.js';
import { cloneInput } from './clone-input.js';
import { describeValue } from './flags.js';
import { normalizeConfig } from './normalize-config.js';
import { PersistentMap } from './persistent-map.js';
import { componentIdFold, duplicateComponentId, type IdHolder } from './component-ids.js';
import type { Entry, HandleMap, KeysBox, KeysIn, NotTaken, OptionalEntries } from './types.js';

/**
 * One added component, as a cons cell pointing at the one added before it. Builders share their past cells,
 * so `addComponent` allocates one cell instead of copying the list (copying made a 10k chain
 * quadratic); `build()` lays the cells out in an array once.
 */
interface Cell {
  readonly key: string;
  readonly definition: ComponentDefinition;
  readonly prev: Cell | undefined;
  readonly count: number;
}

interface BuilderState {
  readonly config: BackendConfig;
  readonly last: Cell | undefined;
  /** key → key, for duplicate keys; persistent, so a branched builder keeps its own view. */
  readonly keys: PersistentMap<string>;
  /** An id's fold (backend/component-ids.ts) → the component that holds it, for duplicate ids. */
  readonly ids: PersistentMap<IdHolder>;
}

/**
 * The key of a type-only member holding the builder's handles (`T`), never set at run time. Not exported, so
 * no user can name it. It lets `addComponent` read the accumulated handles from its receiver
 * (`B[typeof handles]`) rather than from the class's own `T`: see `BuilderReceiver`.
 */
declare const handles: unique symbol;

/** The key of a type-only member holding the builder's taken keys (`TKeys`), for `when`: see `BuilderReceiver`. */
declare const keys: unique symbol;

/**
 * What `addComponent`'s and `when`'s receiver is (`this: B`), and what `when`'s callback returns. Why the
 * receiver, for the type-check cost: the compiler instantiates a method's signature twice, once for the class's
 * type arguments and once for the inferred `D`, and whatever the first one put in the return type is walked again
 * by the second. Reading `T` there put the accumulated handles (n entries, each holding its definition's type) in
 * the return type, and the second instantiation walked all n of them at every call: O(n) instantiations per call,
 * O(n²) over a chain (630,030 at 500 calls; bench/typecheck.ts). `B` is the method's own type parameter, bound
 * only by the second instantiation, so `B[typeof handles]` is looked up once, never walked (124,519). `unknown`,
 * not `HandleMap`: checking `B` against the constraint would then relate all n handles at every call (the compiler
 * never relates anything to `unknown`).
 */
interface BuilderReceiver {
  readonly [handles]: unknown;
  readonly [keys]: unknown;
}

/**
 * What a `when` callback must return: any builder, as `BuilderReceiver` reads one (`unknown` members, never
 * related). Its own name, so returning something else reads as "not assignable to type 'AnyBackendBuilder'".
 */
interface AnyBackendBuilder {
  readonly [handles]: unknown;
  readonly [keys]: unknown;
}

/**
 * The immutable builder (Kysely-style): every method returns a new builder; the old one never sees later
 * additions, so a builder can be branched. Generics accumulate the component handles (`T`) and the taken
 * keys (`TKeys`), so `build().components.<key>` is typed and a duplicate literal key is a type error at the
 * call. `addComponent` is O(log n) with structural sharing. Type-checking a chain costs a constant number
 * of instantiations per call (`addComponent` and `when` read the handles from their receiver, see
 * `BuilderReceiver`, and `addComponent` checks keys with `NotTaken`); what grows is the compiler flattening
 * `T` and `TKeys` once per call (bench/typecheck.ts measures it against a non-accumulating chain, with and
 * without `when`).
 *
 * @example
 * ```ts
 * let b = defineBackend({ environment: 'prod', location: 'eastus' });
 * if (flags.users)
 *   b = b.addComponent(
 *     CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
 *   );
 * const backend = b
 *   .withMonitoring({ enabled: true, retentionDays: 90 })
 *   .withTags({ project: 'x' })
 *   .build();
 *
 * // Typed feature flags: handles added inside `when` are optional.
 * const typed = defineBackend({ environment: 'prod' })
 *   .when(flags.users, (b) =>
 *     b.addComponent(CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } })),
 *   )
 *   .build();
 * typed.components.UserApi?.apiEndpoint; // string | undefined
 * ```
 */
export class BackendBuilder<T extends HandleMap = {}, TKeys extends string = never> {
  readonly #state: BuilderState;
  #components:
    | readonly { readonly key: string; readonly definition: ComponentDefinition }[]
    | undefined;

  /** @internal Use `defineBackend(config)`. */
  constructor(state: BuilderState) {
    this.#state = state;
  }

  /** @internal Type-only (never set): the handles, for `addComponent` (see `BuilderReceiver`). */
  declare readonly [handles]: T;
  /** @internal Type-only (never set): the taken keys, for `when` (see `BuilderReceiver`). */
  declare readonly [keys]: KeysBox<TKeys>;

  /** Add a component under its `componentId`, or under an explicit key. A taken key or id is an error. */
  addComponent<const D extends AnyDefinition, B extends BuilderReceiver = BackendBuilder<T, TKeys>>(
    this: B,
    definition: D & NotTaken<TKeys, D['componentId']>,
  ): BackendBuilder<B[typeof handles] & Entry<D['componentId'], D>, TKeys | D['componentId']>;
  addComponent<
    const K extends string,
    const D extends AnyDefinition,
    B extends BuilderReceiver = BackendBuilder<T, TKeys>,
  >(
    this: B,
    key: K & NotTaken<TKeys, K>,
    definition: D,
  ): BackendBuilder<B[typeof handles] & Entry<K, D>, TKeys | K>;
  addComponent(a: unknown, b?: unknown): BackendBuilder<HandleMap, string> {
    const explicit = typeof a === 'string';
    const definition = adaptDefinition(explicit ? b : a, [
      'components',
      explicit ? a : '(addComponent)',
    ]);
    const key = explicit ? a : definition.componentId;
    const s = this.#state;
    if (s.keys.has(key)) {
      throw new AtakoraError(
        'DUPLICATE_COMPONENT_KEY',
        `A component with key "${key}" is already added.`,
        { path: ['components', key] },
      );
    }
    const fold = componentIdFold(definition.componentId);
    const holder = s.ids.get(fold);
    if (holder !== undefined) throw duplicateComponentId(holder, key, definition.componentId);
    const last: Cell = Object.freeze({
      key,
      definition,
      prev: s.last,
      count: (s.last?.count ?? 0) + 1,
    });
    return new BackendBuilder({
      ...s,
      last,
      keys: s.keys.set(key, key),
      ids: s.ids.set(fold, { key, componentId: definition.componentId }),
    });
  }

  /**
   * Add components only when `condition` is `true` (Kysely's `$if`): `add` runs with this builder when it
   * is, and is never called when it is `false`. Anything else (the string `"false"` read from a flags file,
   * `undefined` from a misspelt flag) is an error, `WHEN_CONDITION_INVALID`: `parseFlags` reads a
   * flags file into checked booleans. The handles it adds are optional in the type, so
   * `components.<key>` is `handle | undefined` and reading one without a check is a type error under
   * `strict`; their keys count as taken for later calls.
   *
   * @example
   * ```ts
   * const backend = defineBackend({ environment: 'prod' })
   *   .when(flags.users, (b) =>
   *     b.addComponent(
   *       CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
   *     ),
   *   )
   *   .addComponent(
   *     CrudApi.define('ProductApi', { entityName: 'Product', schema: { id: 'string' } }),
   *   )
   *   .build();
   * backend.components.UserApi?.apiEndpoint; // string | undefined
   * backend.components.ProductApi.apiEndpoint; // string
   * ```
   */
  when<
    // Typed for the type-check cost (bench/typecheck.ts, WHEN=10: a `when` every tenth call of a chain).
    // The receiver's handles as `B[typeof handles]` (see `BuilderReceiver`): reading the class's `T` put them in
    // the signature and, through the callback's result that holds them too, in the optional entries, so after k
    // `when`s the handles held the previous ones twice over and instantiating the signature walked that graph
    // without sharing: check time doubling with every `when` (33 s at 200 calls).
    // Nothing of the callback's handles is related, listed or looked up here: for an n-member intersection the
    // compiler lists every property, each looked up in all n members, n² per `when` (500 calls: ×1.67 of a
    // flat chain; ×1.26 without). So `R` is any builder (its `[handles]` and `[keys]` are `unknown`, which the
    // compiler never relates), not `BackendBuilder<U, UKeys>` with `U extends HandleMap`; the added keys come
    // from `R`'s `[keys]`, not `keyof` its handles. `Z` is never inferred, so `{}`, which the intersection
    // drops: it only lets the declaration satisfy `T extends HandleMap`, which `B[typeof handles]` (`unknown`)
    // and the generic optional entries (`handle | undefined`) do not.
    R extends AnyBackendBuilder,
    B extends BuilderReceiver = BackendBuilder<T, TKeys>,
    Z extends HandleMap = {},
  >(
    this: B,
    condition: boolean,
    add: (builder: B) => R,
  ): BackendBuilder<
    B[typeof handles] & OptionalEntries<R[typeof handles], KeysIn<R[typeof keys]>, TKeys> & Z,
    TKeys | KeysIn<R[typeof keys]>
  > {
    if (typeof add !== 'function') {
      throw new AtakoraError(
        'CONFIG_INVALID',
        'when(condition, add) needs a function as its second argument.',
        {
          path: ['when'],
          resolution:
            'Pass a callback that returns the builder: .when(flag, (b) => b.addComponent(def)).',
        },
      );
    }
    if (typeof condition !== 'boolean') {
      // Truthiness would switch a component on for "false" and silently drop it for a misspelt flag.
      throw new AtakoraError(
        'WHEN_CONDITION_INVALID',
        `when(condition, add) takes a boolean; got ${describeValue(condition)}.`,
        { path: ['when'] },
      );
    }
    if (!condition) return this as never;
    const next = add(this);
    if (!(next instanceof BackendBuilder)) {
      throw new AtakoraError(
        'CONFIG_INVALID',
        'The callback of when(condition, add) must return a builder.',
        {
          path: ['when'],
          resolution:
            'Return the builder the callback was given, or one derived from it: (b) => b.addComponent(def).',
        },
      );
    }
    return next;
  }

  withMonitoring(monitoring: boolean | MonitoringConfig): BackendBuilder<T, TKeys> {
    return this.#config({ monitoring });
  }
  withNetworking(networking: 'public' | 'isolated' | NetworkingConfig): BackendBuilder<T, TKeys> {
    return this.#config({ networking });
  }
  /** Merges with the tags set so far. */
  withTags(tags: Readonly<Record<string, string>>): BackendBuilder<T, TKeys> {
    return this.#config({ tags: { ...this.#state.config.tags, ...tags } });
  }
  withNaming(naming: NamingConvention): BackendBuilder<T, TKeys> {
    return this.#config({ naming });
  }
  /** Merges with the limits set so far. */
  withLimits(limits: ResourceLimits): BackendBuilder<T, TKeys> {
    return this.#config({ limits: { ...this.#state.config.limits, ...limits } });
  }
  /** Adds a custom provider (the built-ins stay). */
  withProvider(provider: object): BackendBuilder<T, TKeys> {
    return this.withProviders([provider]);
  }
  withProviders(providers: readonly object[]): BackendBuilder<T, TKeys> {
    return this.#config({ providers: [...(this.#state.config.providers ?? []), ...providers] });
  }
  withEnvironment(environment: string): BackendBuilder<T, TKeys> {
    return this.#config({ environment });
  }
  withLocation(location: string): BackendBuilder<T, TKeys> {
    return this.#config({ location });
  }
  withBackendId(backendId: string): BackendBuilder<T, TKeys> {
    return this.#config({ backendId });
  }

  /** Check the config and components and return the immutable {@link Backend}. */
  build(): Backend<T> {
    return new Backend<T>({
      config: normalizeConfig(this.#state.config),
      components: this.#list(),
    });
  }

  /** Shortcut for `build().plan()`. */
  plan(): ResourcePlan {
    return this.build().plan();
  }

  /** The components in insertion order, laid out once per builder (the builder never changes). */
  #list(): readonly { readonly key: string; readonly definition: ComponentDefinition }[] {
    if (!this.#components) {
      const out = new Array<{ key: string; definition: ComponentDefinition }>(
        this.#state.last?.count ?? 0,
      );
      for (let c = this.#state.last; c; c = c.prev)
        out[c.count - 1] = { key: c.key, definition: c.definition };
      this.#components = Object.freeze(out);
    }
    return this.#components;
  }

  #config(patch: Partial<BackendConfig>): BackendBuilder<T, TKeys> {
    // Validate the merged config now, so a bad value points at the call that set it.
    const config = { ...this.#state.config, ...cloneInput(patch) };
    normalizeConfig(config);
    return new BackendBuilder<T, TKeys>({ ...this.#state, config: freeze(config, true) });
  }
}

/** @internal */
export function createBuilder(config: BackendConfig): BackendBuilder {
  return new BackendBuilder({
    config: freeze(cloneInput(config), true),
    last: undefined,
    keys: PersistentMap.empty(),
    ids: PersistentMap.empty(),
  });
}
