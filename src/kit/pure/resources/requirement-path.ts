import type { SourcedRequirement } from '../../../model/requirements.js';

/**
 * Where a requirement stands in the backend, for an issue's `path`: its component, its index in that component's
 * requirement list, then `rest` (`['config', 'queues', 0]`).
 *
 * @example
 * ```ts
 * requirementPath(r, 'config', 'topics'); // ['components', 'orders', 'requirements', 1, 'config', 'topics']
 * ```
 */
export function requirementPath(
  r: Pick<SourcedRequirement, 'componentKey' | 'index'>,
  ...rest: (string | number)[]
): (string | number)[] {
  return ['components', r.componentKey, 'requirements', r.index, ...rest];
}
