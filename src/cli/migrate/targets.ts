import { type PlannedCrudApi, plannedCrudApis } from '../shared/load-migrations.js';
import type { ResourcePlan } from '../../model/plan.js';
import { AtakoraError } from '../../model/errors.js';
import { closest } from '../../kit/pure/closest-key.js';

/** One CrudApi to migrate: its entity, where its items are, and its migration modules. */
export interface MigrateTarget extends Omit<PlannedCrudApi, 'migrations'> {
  /** Module path (relative to the working folder, `#export` allowed) per version it produces. */
  readonly modules: Readonly<Record<number, string>>;
}

/**
 * The CrudApis of a plan that have older items to rewrite (schemaVersion above 1), or the one `component`
 * names (MIGRATE_COMPONENT_UNKNOWN listing the versioned ones otherwise). Names come from the Function App's
 * settings, as the runtime reads them.
 *
 * @example
 * ```ts
 * migrateTargets(backend.plan(), 'OrderApi'); // [{ componentId: 'OrderApi', database: 'order-db', … }]
 * ```
 */
export function migrateTargets(plan: ResourcePlan, component?: string): MigrateTarget[] {
  const found = plannedCrudApis(plan)
    .filter((c) => (c.entity.schemaVersion ?? 1) > 1)
    .map(({ migrations, ...c }): MigrateTarget => ({ ...c, modules: migrations }));
  const all = found.sort((a, b) => (a.componentId < b.componentId ? -1 : 1));
  if (component === undefined) return all;
  const one = all.find((t) => t.componentId === component);
  if (one) return [one];
  const known = all.map((t) => t.componentId);
  const near = closest(component, known);
  throw new AtakoraError(
    'MIGRATE_COMPONENT_UNKNOWN',
    `--component ${component} is not a CrudApi with a schemaVersion above 1 in ${plan.backendId}` +
      (known.length ? ` (those: ${known.join(', ')})` : ' (it has none)') +
      (near ? `; did you mean ${near}?` : '.'),
    { path: ['migrate', '--component'] },
  );
}
