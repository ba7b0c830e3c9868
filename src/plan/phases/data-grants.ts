import type { HostedFunction, SourcedRequirement } from '../../model/requirements.js';

/** A FunctionsApp's HTTP functions that declare `data`, read from its `functions` requirement. */
function dataOf(r: SourcedRequirement): readonly HostedFunction[] {
  if (r.requirement.resourceType !== 'functions') return [];
  const hosted = (r.requirement.config as { hostedFunctions?: readonly HostedFunction[] })
    .hostedFunctions;
  return hosted?.filter((f) => f.trigger === 'http' && f.data?.length) ?? [];
}

/**
 * The data grants of HTTP functions (`data: ['OrderApi']`, docs/functions.md): for each CrudApi a FunctionsApp's
 * functions name, a copy of that CrudApi's own `cosmos` requirement (its account's compatibility key, network
 * ranges and container, less its lease container) made by the FunctionsApp, so the merge puts it in the same
 * account and container and records the FunctionsApp's access there — the data role the CrudApi's own identity
 * holds (Reader for a read-only API, Contributor otherwise), on those containers only. A name that is no CrudApi
 * of the backend adds nothing (plan error `FUNCTIONS_DATA_UNKNOWN`, checks/function-reach.ts).
 *
 * Only backends with such functions pay more than one property read per functions requirement.
 *
 * @example
 * ```ts
 * const collected = withDataGrants(collect(input, components, types));
 * ```
 */
export function withDataGrants(collected: SourcedRequirement[]): SourcedRequirement[] {
  const wanted = new Map<string, { app: SourcedRequirement; crud: Set<string> }>();
  for (const r of collected) {
    for (const f of dataOf(r)) {
      let entry = wanted.get(r.componentId);
      if (!entry) wanted.set(r.componentId, (entry = { app: r, crud: new Set() }));
      for (const id of f.data ?? []) entry.crud.add(id);
    }
  }
  if (wanted.size === 0) return collected;
  const cosmosOf = new Map<string, SourcedRequirement>();
  for (const r of collected)
    if (
      r.componentType === 'CrudApi' &&
      r.requirement.resourceType === 'cosmos' &&
      r.requirement.requirementKey === `${r.componentId}-cosmos`
    )
      cosmosOf.set(r.componentId, r);
  const grants: SourcedRequirement[] = [];
  for (const [appId, { app, crud }] of [...wanted].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const crudId of [...crud].sort()) {
      const source = cosmosOf.get(crudId);
      if (!source) continue;
      grants.push({
        componentId: appId,
        componentKey: app.componentKey,
        componentType: app.componentType,
        // Its issues point at the function's data, in the FunctionsApp's functions requirement.
        index: app.index,
        requirement: {
          ...source.requirement,
          requirementKey: `${appId}-data-${crudId}`,
          config: withoutLeases(source.requirement.config),
        },
      });
    }
  }
  return grants.length ? collected.concat(grants) : collected;
}

/** The CrudApi's cosmos config with only its entity's container (a lease container is the change feed's own). */
function withoutLeases(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const databases = (config['databases'] ?? []) as readonly {
    readonly containers?: readonly { readonly lease?: boolean }[];
  }[];
  return {
    ...config,
    databases: databases.map((d) => ({
      ...d,
      containers: (d.containers ?? []).filter((c) => c.lease !== true),
    })),
  };
}
