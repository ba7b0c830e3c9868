import type { SourcedRequirement } from '../../model/requirements.js';
import { compare } from '../../kit/pure/resources/merge-strategies.js';

/**
 * The Function App that runs the CRUD runtime, as a requirement: the first CrudApi's `functions` requirement by
 * component key — where the runtime's own features (the billing timer, Marketplace's landing, webhook and timer) run.
 * Undefined when the backend has no CrudApi.
 *
 * @example
 * ```ts
 * const host = crudRuntimeHost(collected);
 * ```
 */
export function crudRuntimeHost(
  collected: readonly SourcedRequirement[],
): SourcedRequirement | undefined {
  let host: SourcedRequirement | undefined;
  for (const r of collected)
    if (
      r.componentType === 'CrudApi' &&
      r.requirement.resourceType === 'functions' &&
      (host === undefined || compare(r.componentKey, host.componentKey) < 0)
    )
      host = r;
  return host;
}

/**
 * A runtime feature's requirements sourced as the host's (so they join its app): `<host>-<feature>-<type>`, at the
 * host's priority, indexed after the host's own requirements (and `skip` more).
 *
 * @example
 * ```ts
 * const of = onHost(host, collected, 'billing');
 * const timer = of('functions', { runtime: 'node', crudRuntime: true, functionCount: 1 }, 0);
 * ```
 */
export function onHost(
  host: SourcedRequirement,
  collected: readonly SourcedRequirement[],
  feature: string,
  skip = 0,
): (resourceType: string, config: object, i: number) => SourcedRequirement {
  const index = collected.filter((r) => r.componentKey === host.componentKey).length + skip;
  return (resourceType, config, i) => ({
    componentId: host.componentId,
    componentKey: host.componentKey,
    componentType: host.componentType,
    requirement: {
      resourceType,
      requirementKey: `${host.componentId}-${feature}-${resourceType}`,
      priority: host.requirement.priority ?? 10,
      config: { ...config },
    },
    index: index + i,
  });
}
