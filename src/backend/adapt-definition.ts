import {
  DEFINITION_BRAND,
  type AnyDefinition,
  type ComponentDefinition,
  type FactoryComponentDefinition,
} from '../model/component.js';
import { AtakoraError } from '../model/errors.js';
import { componentDefinition } from '../kit/pure/component-definition.js';
import type { JsonValue } from '../model/plan.js';

/** True for anything made by a `define` function or shaped like the seeds' factory definition. */
export function isDefinition(value: unknown): value is AnyDefinition {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  if (v[DEFINITION_BRAND] === true) return true;
  return (
    typeof v['componentId'] === 'string' &&
    typeof v['componentType'] === 'string' &&
    typeof v['factory'] === 'function'
  );
}

/**
 * Turn any accepted definition into the planner's shape. The seeds' factory-only shape is adapted: its
 * factory is called once, with no scope, to read `getRequirements()`; at apply, `initialize` runs with the
 * real scope and the provisioned resources.
 */
export function adaptDefinition(
  value: unknown,
  path: readonly (string | number)[],
): ComponentDefinition {
  if (!isDefinition(value)) {
    throw new AtakoraError(
      'COMPONENT_INVALID',
      `The value at ${path.join('.')} is not a component definition.`,
      { path },
    );
  }
  if ((value as ComponentDefinition)[DEFINITION_BRAND]) return value as ComponentDefinition;
  const d = value as FactoryComponentDefinition;
  let instance: ReturnType<FactoryComponentDefinition['factory']>;
  try {
    instance = d.factory(undefined, d.componentId, d.config, new Map());
  } catch (e) {
    throw new AtakoraError(
      'COMPONENT_INVALID',
      `The factory of ${d.componentId} threw while listing requirements: ${(e as Error)?.message ?? String(e)}`,
      { path, cause: e },
    );
  }
  if (!instance || typeof instance.getRequirements !== 'function') {
    throw new AtakoraError(
      'COMPONENT_INVALID',
      `The factory of ${d.componentId} must return an object with getRequirements().`,
      { path },
    );
  }
  const requirements = instance.getRequirements();
  return componentDefinition<ComponentDefinition>({
    componentId: d.componentId,
    componentType: d.componentType,
    config: d.config,
    requirements: () => requirements,
    outputs: () =>
      instance.getOutputs
        ? (JSON.parse(JSON.stringify(instance.getOutputs())) as Record<string, JsonValue>)
        : {},
    provision: (scope: unknown, resources: ReadonlyMap<string, unknown>) =>
      instance.initialize?.(resources, scope),
  });
}
