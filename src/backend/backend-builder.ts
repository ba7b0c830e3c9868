import { Immer, freeze } from 'immer';
import type { AnyDefinition, ComponentDefinition, HandleOf } from '../model/component.js';
import type { BackendConfig, MonitoringConfig, NamingConvention, NetworkingConfig, ResourceLimits } from '../model/config.js';
import { AtakoraError } from '../model/errors.js';
import type { ResourcePlan } from '../model/plan.js';
import { adaptDefinition } from './adapt-definition.js';
import { Backend } from './backend.js';
import { cloneInput } from './clone-input.js';
import { normalizeConfig } from './normalize-config.js';
import type { HandleMap, NotTaken } from './types.js';

/** A private immer: auto-freeze on, and the global immer settings of the user's app untouched. */
const immer = new Immer({ autoFreeze: true });

interface BuilderState {
  readonly config: BackendConfig;
  readonly components: readonly { readonly key: string; readonly definition: ComponentDefinition }[];
}

/**
 * The immutable builder (Kysely-style): every method returns a new builder; the old one never sees later
 * additions. Generics accumulate the component handles, so `build().components.<key>` is typed.
 *
 * @example
 * ```ts
 * let b = defineBackend({ environment: 'prod', location: 'eastus' });
 * if (flags.users) b = b.addComponent(CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }));
 * const backend = b.withMonitoring({ enabled: true, retentionDays: 90 }).withTags({ project: 'x' }).build();
 * ```
 */
export class BackendBuilder<T extends HandleMap = {}> {
  readonly #state: BuilderState;

  /** @internal Use `defineBackend(config)`. */
  constructor(state: BuilderState) {
    this.#state = state;
  }

  /** Add a component under its `componentId`, or under an explicit key. A taken key is an error. */
  addComponent<const D extends AnyDefinition>(definition: D & NotTaken<T, D['componentId']>): BackendBuilder<T & { readonly [K in D['componentId']]: HandleOf<D> }>;
  addComponent<const K extends string, const D extends AnyDefinition>(key: K & NotTaken<T, K>, definition: D): BackendBuilder<T & { readonly [P in K]: HandleOf<D> }>;
  addComponent(a: unknown, b?: unknown): BackendBuilder<HandleMap> {
    const explicit = typeof a === 'string';
    const raw = explicit ? b : a;
    const definition = adaptDefinition(raw, ['components', explicit ? a : '(addComponent)']);
    const key = explicit ? (a as string) : definition.componentId;
    if (this.#state.components.some((c) => c.key === key)) {
      throw new AtakoraError('DUPLICATE_COMPONENT_KEY', `A component with key "${key}" is already added.`, { path: ['components', key] });
    }
    const dup = this.#state.components.find((c) => c.definition.componentId === definition.componentId);
    if (dup) {
      throw new AtakoraError('DUPLICATE_COMPONENT_ID', `Component id "${definition.componentId}" is used by "${dup.key}" and "${key}".`, { path: ['components', key] });
    }
    return this.#next((s) => { s.components.push({ key, definition: definition as never }); });
  }

  withMonitoring(monitoring: boolean | MonitoringConfig): BackendBuilder<T> { return this.#config({ monitoring }); }
  withNetworking(networking: 'public' | 'isolated' | NetworkingConfig): BackendBuilder<T> { return this.#config({ networking }); }
  /** Merges with the tags set so far. */
  withTags(tags: Readonly<Record<string, string>>): BackendBuilder<T> { return this.#config({ tags: { ...this.#state.config.tags, ...tags } }); }
  withNaming(naming: NamingConvention): BackendBuilder<T> { return this.#config({ naming }); }
  /** Merges with the limits set so far. */
  withLimits(limits: ResourceLimits): BackendBuilder<T> { return this.#config({ limits: { ...this.#state.config.limits, ...limits } }); }
  /** Adds a custom provider (the built-ins stay). */
  withProvider(provider: object): BackendBuilder<T> { return this.withProviders([provider]); }
  withProviders(providers: readonly object[]): BackendBuilder<T> { return this.#config({ providers: [...(this.#state.config.providers ?? []), ...providers] }); }
  withEnvironment(environment: string): BackendBuilder<T> { return this.#config({ environment }); }
  withLocation(location: string): BackendBuilder<T> { return this.#config({ location }); }
  withBackendId(backendId: string): BackendBuilder<T> { return this.#config({ backendId }); }

  /** Check the config and components and return the immutable {@link Backend}. */
  build(): Backend<T> {
    return new Backend<T>({ config: normalizeConfig(this.#state.config), components: this.#state.components });
  }

  /** Shortcut for `build().plan()`. */
  plan(): ResourcePlan {
    return this.build().plan();
  }

  #config(patch: Partial<BackendConfig>): BackendBuilder<T> {
    // Validate the merged config now, so a bad value points at the call that set it.
    const merged = { ...this.#state.config, ...cloneInput(patch) };
    normalizeConfig(merged);
    return this.#next((s) => { Object.assign(s.config, cloneInput(patch)); });
  }

  #next(recipe: (draft: { config: Record<string, unknown>; components: { key: string; definition: ComponentDefinition }[] }) => void): BackendBuilder<T> {
    return new BackendBuilder<T>(immer.produce(this.#state, recipe as never) as BuilderState);
  }
}

/** @internal */
export function createBuilder(config: BackendConfig, components: BuilderState['components'] = []): BackendBuilder {
  return new BackendBuilder(freeze({ config: cloneInput(config), components }, true));
}
