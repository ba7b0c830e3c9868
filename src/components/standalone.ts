import { Construct, type TerraformStack } from '../kit/cdktf/engine.js';
import type { Backend } from '../backend/backend.js';
import { defineBackend } from '../backend/define-backend.js';
import type { ComponentDefinition, ComponentHandle } from '../model/component.js';
import type { BackendConfig } from '../model/config.js';
import type { AppliedBackend } from '../apply/apply-backend.js';
import { targetSeed, type TargetStack } from '../apply/deployment-target.js';

/** Backend settings of a stand-alone component's own resources. */
export interface StandaloneProps {
  readonly environment?: string;
  readonly location?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Base of every component class's stand-alone form (`new CrudApi(stack, id, props)` …): a backend of one
 * component with its own backend id (the construct id), so two stand-alone components in one stack never
 * share or collide, applied with the same secure defaults as any backend.
 *
 * @example
 * ```ts
 * import { defineComponent, type CustomHandle } from '@atakora/component/backend';
 * type UploadsHandle = CustomHandle<'Uploads', { container: string }>;
 * interface UploadsProps extends StandaloneProps {
 *   readonly container: string;
 * }
 * const defineUploads = (id: string, config: { container: string }) =>
 *   defineComponent({
 *     type: 'Uploads',
 *     id,
 *     config,
 *     requirements: (c) => [
 *       {
 *         resourceType: 'storage',
 *         requirementKey: 'uploads',
 *         config: { containers: [c.container] },
 *       },
 *     ],
 *     outputs: (c) => ({ container: c.container }),
 *   });
 * class Uploads extends StandaloneComponent<UploadsHandle> {
 *   constructor(stack: TerraformStack, id: string, props: UploadsProps) {
 *     super(stack, `uploads-${id}`, id, props, defineUploads(id, componentConfigOf(props)));
 *   }
 * }
 * new Uploads(stack, 'Files', { container: 'files' }).handle.container; // 'files'
 * ```
 */
export abstract class StandaloneComponent<H extends ComponentHandle> extends Construct {
  /** The one-component backend this construct made. */
  readonly backend: Backend<{ readonly self: H }>;
  /** What applying it created. */
  readonly applied: AppliedBackend;
  /** The component's handle (endpoints, names), known from the plan. */
  readonly handle: H;

  protected constructor(
    scope: TerraformStack,
    constructId: string,
    id: string,
    props: StandaloneProps,
    definition: ComponentDefinition<string, string, unknown, H>,
  ) {
    super(scope, constructId);
    const location = props.location ?? (scope as { location?: string }).location;
    const target = scope as Partial<TargetStack>;
    const config: BackendConfig = {
      backendId: id.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
      // The stack is known here, so the plan (and the handle) carries the deployed names, not the placeholder.
      ...(typeof target.resourceGroupName === 'string'
        ? {
            naming: {
              uniqueSeed: targetSeed({
                resourceGroupName: target.resourceGroupName,
                subscriptionId: target.subscriptionId,
              }),
            },
          }
        : {}),
      ...(props.environment ? { environment: props.environment } : {}),
      ...(location ? { location } : {}),
      ...(props.tags ? { tags: props.tags } : {}),
    };
    this.backend = defineBackend({ self: definition }, config);
    this.applied = this.backend.apply(scope);
    this.handle = this.backend.components.self;
  }
}

/** The component config inside stand-alone props (the backend settings taken out). */
export function componentConfigOf<T extends object>(props: T & StandaloneProps): T {
  const { environment: _e, location: _l, tags: _t, ...config } = props;
  return config as T;
}
