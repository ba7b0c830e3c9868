import type { ComponentDefinition } from '../model/component.js';
import type { NormalizedConfig } from '../model/config.js';
import { AtakoraError, PlanError, ResourceLimitError } from '../model/errors.js';
import type { PlannedResource, ResourcePlan } from '../model/plan.js';
import type { AppliedBackend } from '../apply/apply-backend.js';
import { loadApplyLayer } from './apply-layer.js';
import { planBackend } from '../plan/planner.js';
import { customProviderType, type PureProvider } from '../resources/custom/type.js';
import { parseResourceKey } from '../kit/pure/names/resource-key.js';
import type { AnyResourceType } from '../kit/pure/resources/resource-type.js';
import type { HandleMap } from './types.js';
import { ReadOnlyMap } from './read-only-map.js';
import { componentHandles } from '../plan/handles.js';
import { normalizeConfig } from './normalize-config.js';

/**
 * The result of {@link Backend.validate}: the seeds' shape, derived from the plan. Error issues and limit
 * violations are `errors`, warnings are `warnings`, each as `CODE: message`; a list is absent when empty.
 *
 * @example
 * ```ts
 * const { valid, errors = [], warnings = [] } = backend.validate();
 * if (!valid) throw new Error(errors.join('\n'));
 * warnings.forEach((w) => console.warn(w));
 * ```
 */
export interface ValidationResult {
  readonly valid: boolean;
  readonly errors?: readonly string[];
  readonly warnings?: readonly string[];
}

interface BackendState {
  readonly config: NormalizedConfig;
  readonly components: readonly {
    readonly key: string;
    readonly definition: ComponentDefinition;
  }[];
}

/**
 * A built backend: immutable. `plan()` is pure and cached; `apply(stack)` materialises the plan in a stack.
 *
 * @example
 * ```ts
 * const backend = defineBackend({
 *   userApi: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
 * });
 * backend.components.userApi.apiEndpoint; // string
 * backend.apply(
 *   new ResourceGroupStack(app, 'Stack', { resourceGroupName: 'rg-app', location: 'eastus' }),
 * );
 * ```
 */
export class Backend<T extends HandleMap = HandleMap> {
  readonly #state: BackendState;
  #plan: ResourcePlan | undefined;
  #components: T | undefined;
  #resources: ReadonlyMap<string, PlannedResource> | undefined;
  /**
   * Where this backend was applied, in order. The backend's declaration and plan never change; what its
   * handles report does, once they name deployed resources (DESIGN §2). The stacks' constructs hold the
   * tokens; this list only says which of them are this backend's.
   */
  readonly #applied: { readonly stack: object; readonly applied: AppliedBackend<T> }[] = [];

  /** @internal Use `defineBackend` or a builder's `build()`. */
  constructor(state: BackendState) {
    if (state.components.length === 0) {
      throw new AtakoraError('BACKEND_EMPTY', 'The backend has no components.', {
        path: ['components'],
      });
    }
    this.#state = state;
  }

  get backendId(): string {
    return this.#state.config.backendId;
  }
  get environment(): string {
    return this.#state.config.environment;
  }
  get location(): string {
    return this.#state.config.location;
  }
  /** The normalised configuration. */
  get config(): NormalizedConfig {
    return this.#state.config;
  }

  /**
   * Typed handles, by key. Before `apply`: values known from the plan, where a global name's deployment-target
   * token is the placeholder `tgtxxx` and a host Azure assigns at creation is a Terraform expression (see
   * docs/deploying.md#names). After `apply(stack)`: the handles as deployed in that stack — the names its
   * target gives, hosts as tokens of the created attributes ({@link AppliedBackend.components}), so wiring
   * them into Traffic Manager or Front Door targets the real hosts. Applied to several stacks whose handles
   * differ, reading this throws `HANDLE_AMBIGUOUS`: say which stack with {@link Backend.in}.
   *
   * @example
   * ```ts
   * backend.components.userApi.apiEndpoint; // 'https://func-backend-dev-tgtxxx.azurewebsites.net/api/users'
   * backend.addToStack(stack);
   * backend.components.userApi.apiEndpoint; // 'https://func-backend-dev-k3x9a1.azurewebsites.net/api/users'
   * ```
   */
  get components(): T {
    const [first, ...others] = this.#applied;
    if (first) {
      const seen = JSON.stringify(first.applied.components);
      const other = others.find((o) => JSON.stringify(o.applied.components) !== seen);
      if (other) {
        throw new AtakoraError(
          'HANDLE_AMBIGUOUS',
          `Backend "${this.backendId}" is applied to ${this.#applied.length} stacks whose handles differ ` +
            `(${stackIds(this.#applied).join(', ')}): backend.components cannot say which stack's names and ` +
            `hosts it means.`,
          {
            path: ['components'],
            resolution:
              'Read the handles of one stack: backend.in(stack).components.x, or the components of the ' +
              'AppliedBackend that apply(stack) returned.',
          },
        );
      }
      return first.applied.components;
    }
    this.#components ??= componentHandles(this.plan()) as T;
    return this.#components;
  }

  /**
   * This backend as applied to `stack`: its handles there (`in(stack).components`), its plan for that stack's
   * target, its constructs. Throws `BACKEND_NOT_APPLIED` when the backend was not applied to that stack.
   *
   * @example
   * ```ts
   * backend.apply(blueStack); backend.apply(greenStack);
   * backend.in(greenStack).components.userApi.apiEndpoint; // green's Function App
   * ```
   */
  in(stack: unknown): AppliedBackend<T> {
    const found = this.#applied.find((a) => a.stack === stack);
    if (!found) {
      throw new AtakoraError(
        'BACKEND_NOT_APPLIED',
        `Backend "${this.backendId}" was not applied to ${describeStack(stack)}${this.#applied.length ? ` (it was to ${stackIds(this.#applied).join(', ')})` : ''}.`,
        {
          path: ['stack'],
          resolution:
            'Call backend.apply(stack) (or addToStack) first, with the same stack object you pass to in(stack).',
        },
      );
    }
    return found.applied;
  }

  /**
   * The component definitions, in the order they were added: what each was defined with (`config`), for the
   * commands that act on a component's own options (`atakora seed` reads a CrudApi's `seed`).
   *
   * @example
   * ```ts
   * backend.definitions.map((d) => d.componentId); // ['OrderApi']
   * ```
   */
  get definitions(): readonly ComponentDefinition[] {
    return this.#state.components.map((c) => c.definition);
  }

  /**
   * The planned resources by key (`'cosmos:shared'`, `'functions:shared'`, …), read-only: what `apply` will
   * create, known before deploying (the seeds' "validate before deploy"). Each value is the plan's frozen
   * {@link PlannedResource}; `resources.size` is the number of shared resources, not of Terraform resources
   * (each one's `deploys` lists those).
   *
   * @example
   * ```ts
   * const resourceCount = Array.from(backend.resources.keys()).length;
   * if (resourceCount > 50) console.warn('Large number of resources - consider splitting backend');
   * backend.resources.get('cosmos:shared')?.name; // the Cosmos DB account name
   * ```
   */
  get resources(): ReadonlyMap<string, PlannedResource> {
    this.#resources ??= new ReadOnlyMap(this.plan().resources.map((r) => [r.key, r] as const));
    return this.#resources;
  }

  /**
   * The same components and config in another environment: every name, the stack name and the redirect URIs
   * follow it (the CLI's `--environment`); `overrides.preventDestroy: false` turns data protection off (a
   * sandbox's). This backend is unchanged.
   *
   * @example
   * ```ts
   * backend.withEnvironment('pr-7').plan().environment; // 'pr-7'
   * ```
   */
  withEnvironment(
    environment: string,
    overrides: { readonly preventDestroy?: boolean } = {},
  ): Backend<T> {
    // Checked as the config's own environment is (ENVIRONMENT_NAME_INVALID, the CLI's rule).
    normalizeConfig({ environment, ...overrides });
    const preventDestroy = overrides.preventDestroy ?? this.#state.config.preventDestroy;
    if (environment === this.environment && preventDestroy === this.#state.config.preventDestroy)
      return this;
    return new Backend<T>({
      config: { ...this.#state.config, environment, preventDestroy },
      components: this.#state.components,
    });
  }

  /** The pure, deterministic, deeply frozen plan (computed once). */
  plan(): ResourcePlan {
    this.#plan ??= planBackend({
      config: this.#state.config,
      components: this.#state.components,
      extraTypes: providerTypes(this.#state.config),
    });
    return this.#plan;
  }

  /** Errors, limit violations and warnings of the plan, as messages. */
  validate(): ValidationResult {
    const plan = this.plan();
    const errors = [
      ...plan.issues.filter((i) => i.severity === 'error').map((i) => `${i.code}: ${i.message}`),
      ...plan.limitViolations.map(
        (v) => `LIMIT_EXCEEDED: ${v.message} (limit ${v.allowed}, requested ${v.requested})`,
      ),
    ];
    const warnings = plan.issues
      .filter((i) => i.severity === 'warning')
      .map((i) => `${i.code}: ${i.message}`);
    return {
      valid: errors.length === 0,
      ...(errors.length ? { errors } : {}),
      ...(warnings.length ? { warnings } : {}),
    };
  }

  /**
   * The planned resource by type and group (`getResource('cosmos')` is `cosmos:shared`). After `apply`, the
   * returned {@link AppliedBackend}'s `getResource` gives the cdktf construct instead.
   */
  getResource(type: string, group = 'shared'): PlannedResource | undefined {
    const key = parseResourceKey(type, group)?.key;
    return key ? this.plan().resources.find((r) => r.key === key) : undefined;
  }

  /**
   * Materialise the plan in `stack`. Throws ResourceLimitError / PlanError before touching the stack. From
   * then on {@link Backend.components} gives the handles as deployed there.
   */
  apply(stack: unknown): AppliedBackend<T> {
    const plan = this.plan();
    // Checked here, before cdktf loads: a refused plan or a value that is no stack costs no import.
    if (plan.limitViolations.length > 0) throw new ResourceLimitError(plan.limitViolations);
    if (plan.issues.some((i) => i.severity === 'error')) throw new PlanError(plan.issues);
    if (!isTerraformStack(stack)) {
      throw new AtakoraError('STACK_INVALID', 'apply(stack) needs a cdktf TerraformStack.', {
        path: ['stack'],
        resolution:
          "Pass a stack: new ResourceGroupStack(app, 'Stack', { resourceGroupName, location }) from " +
          "'@atakora/component/cdk', or your own TerraformStack with a resourceGroupName.",
      });
    }
    const applied = loadApplyLayer().applyPlan(stack, plan, {
      definitions: new Map(
        this.#state.components.map((c) => [c.definition.componentId, c.definition]),
      ),
      config: this.#state.config,
    }) as AppliedBackend<T>;
    this.#applied.push({ stack: stack as object, applied });
    return applied;
  }

  /** The seeds' name for {@link Backend.apply}. */
  addToStack(stack: unknown): AppliedBackend<T> {
    return this.apply(stack);
  }
}

/**
 * cdktf marks every stack with this registered symbol (`TerraformStack.isStack` checks it), so the test holds
 * for a stack made by any copy of cdktf, without loading cdktf here.
 */
function isTerraformStack(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Symbol.for('cdktf/TerraformStack') in value;
}

function stackIds(applied: readonly { readonly stack: object }[]): string[] {
  return applied.map((a) => describeStack(a.stack));
}

function describeStack(stack: unknown): string {
  const id = (stack as { node?: { id?: unknown } } | null)?.node?.id;
  return typeof id === 'string' ? `stack ${id}` : 'that value (not a stack it was applied to)';
}

function providerTypes(config: NormalizedConfig): AnyResourceType[] {
  const types: AnyResourceType[] = [];
  for (const p of config.providers as PureProvider[])
    for (const type of p.supportedTypes ?? []) types.push(customProviderType(p, type));
  return types;
}
