import type { TerraformStack } from 'cdktf';
import type { Backend } from '../backend/backend.js';
import { defineBackend } from '../backend/define-backend.js';
import type { ComponentDefinition, ComponentHandle } from '../model/component.js';
import type { BackendConfig } from '../model/config.js';
import type { AppliedBackend } from './apply-backend.js';

/** Backend settings of a stand-alone component's own resources. */
export interface StandaloneProps {
  readonly environment?: string;
  readonly location?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** A stand-alone component: its one-component backend, what apply made, and its handle. */
export interface Standalone<H extends ComponentHandle> {
  readonly backend: Backend<{ readonly self: H }>;
  readonly applied: AppliedBackend;
  readonly handle: H;
}

/**
 * The stand-alone form shared by every component class (`new CrudApi(stack, id, props)` …): a backend of
 * one component with its own backend id (the construct id), so two stand-alone components in one stack
 * never share or collide, applied with the same secure defaults as any backend.
 *
 * @example
 * ```ts
 * const { handle } = applyAlone(stack, 'OrderApi', {}, defineCrudApi('OrderApi', config));
 * ```
 */
export function applyAlone<H extends ComponentHandle>(
  scope: TerraformStack,
  id: string,
  props: StandaloneProps,
  definition: ComponentDefinition<string, string, unknown, H>,
): Standalone<H> {
  const location = props.location ?? (scope as { location?: string }).location;
  const config: BackendConfig = {
    backendId: id.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    ...(props.environment ? { environment: props.environment } : {}),
    ...(location ? { location } : {}),
    ...(props.tags ? { tags: props.tags } : {}),
  };
  const backend = defineBackend({ self: definition }, config) as unknown as Backend<{ readonly self: H }>;
  return { backend, applied: backend.apply(scope), handle: backend.components.self };
}

/** The component config inside stand-alone props (the backend settings taken out). */
export function componentConfigOf<T extends object>(props: T & StandaloneProps): T {
  const { environment: _e, location: _l, tags: _t, ...config } = props;
  return config as unknown as T;
}
