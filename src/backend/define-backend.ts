import type { BackendConfig } from '../model/config.js';
import { AtakoraError } from '../model/errors.js';
import type { ComponentDefinition } from '../model/component.js';
import { adaptDefinition, isDefinition } from './adapt-definition.js';
import { Backend } from './backend.js';
import { BackendBuilder, createBuilder } from './backend-builder.js';
import { closest } from '../kit/pure/closest-key.js';
import { CONFIG_KEYS } from './config-schema.js';
import { normalizeConfig } from './normalize-config.js';
import { cloneInput } from './clone-input.js';
import { componentIdFold, duplicateComponentId, type IdHolder } from './component-ids.js';
import type { BackendInput, ComponentsOf, HasDefinitions } from './types.js';

/**
 * Declare a backend. With component definitions (the object form) it returns a built {@link Backend} whose
 * `components` are typed by key; with config only it returns a {@link BackendBuilder}. Config may be passed
 * as the second argument or, as in the seeds, mixed into the first object.
 *
 * @example
 * ```ts
 * const backend = defineBackend(
 *   {
 *     userApi: CrudApi.define('UserApi', {
 *       entityName: 'User',
 *       schema: { id: 'string', name: 'string' },
 *       partitionKey: '/id',
 *     }),
 *   },
 *   { environment: 'prod', location: 'eastus', monitoring: true },
 * );
 * backend.components.userApi.apiEndpoint; // string
 *
 * let builder = defineBackend({ environment: 'prod' }); // no definitions → builder
 * ```
 */
export function defineBackend<const T extends BackendInput<T>>(
  input: T,
  config?: BackendConfig,
): HasDefinitions<T> extends true ? Backend<ComponentsOf<T>> : BackendBuilder;
export function defineBackend(): BackendBuilder;
export function defineBackend(input?: unknown, config?: unknown): Backend | BackendBuilder {
  if (input === undefined) input = {};
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new AtakoraError(
      'CONFIG_NOT_OBJECT',
      `defineBackend takes an object of components and/or config (got ` +
        `${input === null ? 'null' : Array.isArray(input) ? 'an array' : typeof input}).`,
      { path: [] },
    );
  }
  if (
    config !== undefined &&
    (config === null || typeof config !== 'object' || Array.isArray(config))
  ) {
    throw new AtakoraError(
      'CONFIG_NOT_OBJECT',
      'The second argument of defineBackend must be a config object.',
      { path: ['config'] },
    );
  }
  const entries = Object.entries(input as Record<string, unknown>);
  const inlineConfig: Record<string, unknown> = {};
  const components: { key: string; definition: ComponentDefinition }[] = [];
  for (const [key, value] of entries) {
    if (CONFIG_KEYS.has(key) && !isDefinition(value)) inlineConfig[key] = value;
    else if (isDefinition(value))
      components.push({ key, definition: adaptDefinition(value, ['components', key]) });
    else {
      const guess = closest(key, [...CONFIG_KEYS]);
      throw new AtakoraError(
        'CONFIG_UNKNOWN_KEY',
        `"${key}" is neither a config key nor a component definition${guess ? ` (did you mean "${guess}"?)` : ''}.`,
        {
          path: [key],
          resolution: `${guess ? `Rename it to "${guess}", or wrap` : 'Wrap'} a component in its define (CrudApi.define(...)); the config keys are: ${[...CONFIG_KEYS].join(', ')}.`,
        },
      );
    }
  }
  const merged = cloneInput({
    ...inlineConfig,
    ...((config as Record<string, unknown>) ?? {}),
  }) as BackendConfig;
  if (components.length === 0) {
    normalizeConfig(merged);
    return createBuilder(merged);
  }
  const ids = new Map<string, IdHolder>();
  for (const c of components) {
    const fold = componentIdFold(c.definition.componentId);
    const other = ids.get(fold);
    if (other) throw duplicateComponentId(other, c.key, c.definition.componentId);
    ids.set(fold, { key: c.key, componentId: c.definition.componentId });
  }
  return new Backend({ config: normalizeConfig(merged), components });
}
