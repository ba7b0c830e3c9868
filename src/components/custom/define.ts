import { checkComponentId } from '../component-id.js';
import type {
  ComponentDefinition,
  ComponentHandle,
  OutputContext,
  RequirementContext,
} from '../../model/component.js';
import { AtakoraError } from '../../model/errors.js';
import { componentDefinition } from '../../kit/pure/component-definition.js';
import { checkKnownKeys, keysOf } from '../check-keys.js';
import type { JsonValue } from '../../model/plan.js';
import type { ResourceRequirement } from '../../model/requirements.js';

/**
 * What `defineComponent` takes: a kind of your own. `requirements` is pure (it runs at plan time);
 * `outputs` computes handle values from the planned resources; `provision` (cdktf side, optional) adds
 * constructs of your own once the shared resources exist. Requirements without a `priority` take the
 * component's.
 *
 * @example
 * ```ts
 * const spec: CustomComponentSpec<
 *   'Uploads',
 *   'Uploads',
 *   { container: string },
 *   { container: string }
 * > = {
 *   type: 'Uploads',
 *   id: 'Uploads',
 *   config: { container: 'uploads' },
 *   requirements: (c) => [
 *     {
 *       resourceType: 'storage',
 *       requirementKey: 'uploads',
 *       config: { containers: [c.container] },
 *     },
 *   ],
 *   outputs: (c) => ({ container: c.container }),
 * };
 * const uploads = defineComponent(spec);
 * ```
 */
export interface CustomComponentSpec<
  TId extends string,
  TType extends string,
  TConfig,
  TOutputs extends Record<string, JsonValue>,
> {
  readonly type: TType;
  readonly id: TId;
  readonly config: TConfig;
  /** Default priority of the requirements (higher wins conflicts). Default 10. */
  readonly priority?: number;
  requirements(config: TConfig, ctx: RequirementContext): readonly ResourceRequirement[];
  outputs?(config: TConfig, ctx: OutputContext): TOutputs;
  provision?(scope: unknown, resources: ReadonlyMap<string, unknown>, ctx: OutputContext): void;
}

const SPEC_KEYS = keysOf<CustomComponentSpec<string, string, unknown, Record<string, JsonValue>>>()(
  ['type', 'id', 'config', 'priority', 'requirements', 'outputs', 'provision'],
);

/**
 * The handle of a custom component: the common fields plus its outputs, so `outputs` values are typed on
 * `backend.components.<key>`.
 *
 * @example
 * ```ts
 * const uploads = defineComponent({
 *   type: 'Uploads',
 *   id: 'Uploads',
 *   config: { container: 'uploads' },
 *   requirements: (c) => [
 *     {
 *       resourceType: 'storage',
 *       requirementKey: 'uploads',
 *       config: { containers: [c.container] },
 *     },
 *   ],
 *   outputs: (c, ctx) => ({
 *     url: `https://${ctx.resource('storage')?.name}.blob.core.windows.net/${c.container}`,
 *   }),
 * });
 * const h: CustomHandle<'Uploads', { url: string }> = defineBackend({ uploads }).components
 *   .uploads;
 * h.url; // string
 * ```
 */
export type CustomHandle<TType extends string, TOutputs> = ComponentHandle & {
  readonly componentType: TType;
} & Readonly<TOutputs>;

/**
 * Define a component of your own kind. It shares resources with the built-in kinds by the same rules: a
 * `cosmos`, `functions` or `storage` requirement joins the compatible shared resource; any other type needs
 * a provider in `config.providers`.
 *
 * @example
 * ```ts
 * const uploads = defineComponent({
 *   type: 'Uploads',
 *   id: 'Uploads',
 *   config: { container: 'uploads' },
 *   requirements: (c) => [
 *     {
 *       resourceType: 'storage',
 *       requirementKey: 'uploads',
 *       config: { containers: [c.container] },
 *     },
 *   ],
 *   outputs: (c, ctx) => ({
 *     url: `https://${ctx.resource('storage')?.name}.blob.core.windows.net/${c.container}`,
 *   }),
 * });
 * defineBackend({ uploads }).components.uploads.url; // string
 * ```
 */
export function defineComponent<
  const TId extends string,
  const TType extends string,
  TConfig,
  TOutputs extends Record<string, JsonValue> = {},
>(
  spec: CustomComponentSpec<TId, TType, TConfig, TOutputs>,
): ComponentDefinition<TId, TType, TConfig, CustomHandle<TType, TOutputs>> {
  if (!spec || typeof spec !== 'object')
    throw new AtakoraError(
      'COMPONENT_INVALID',
      'defineComponent takes an object { type, id, config, requirements }.',
      { path: [] },
    );
  checkComponentId(spec.id, ['id']);
  checkKnownKeys(spec, SPEC_KEYS, ['components', spec.id], `defineComponent ${spec.id}`);
  if (typeof spec.type !== 'string' || spec.type.length === 0) {
    throw new AtakoraError('COMPONENT_INVALID', `Component ${spec.id} needs a type name.`, {
      path: ['components', spec.id, 'type'],
    });
  }
  if (typeof spec.requirements !== 'function') {
    throw new AtakoraError(
      'COMPONENT_INVALID',
      `Component ${spec.id} needs a requirements(config) function.`,
      { path: ['components', spec.id, 'requirements'] },
    );
  }
  const priority = spec.priority ?? 10;
  const outputs = spec.outputs?.bind(spec);
  return componentDefinition<
    ComponentDefinition<TId, TType, TConfig, CustomHandle<TType, TOutputs>>
  >({
    componentId: spec.id,
    componentType: spec.type,
    config: spec.config,
    priority,
    // Requirements without a priority take the component's.
    requirements: (ctx: RequirementContext) =>
      spec
        .requirements(spec.config, ctx)
        .map((r) => (r && r.priority === undefined ? { ...r, priority } : r)),
    ...(outputs ? { outputs: (ctx) => outputs(spec.config, ctx) } : {}),
    ...(spec.provision ? { provision: spec.provision.bind(spec) } : {}),
  });
}
