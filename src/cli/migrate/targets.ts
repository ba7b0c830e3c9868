import { mergedConfigOf } from '../../resources/types.js';
import { migrationModulesOf } from '../shared/load-migrations.js';
import type { ResourcePlan } from '../../model/plan.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import { AtakoraError } from '../../model/errors.js';
import { closest } from '../../kit/pure/closest-key.js';

/** One CrudApi to migrate: its entity, where its items are, and its migration modules. */
export interface MigrateTarget {
  readonly componentId: string;
  readonly entity: RuntimeEntity;
  /** The account endpoint as the plan names it (the deployed account's, with the deployment target's names). */
  readonly endpoint: string;
  readonly database: string;
  readonly container: string;
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
  const found = new Map<string, MigrateTarget>();
  for (const app of plan.resources) {
    if (app.type !== 'functions') continue;
    const config = mergedConfigOf('functions', app);
    const settings = (app.config['appSettings'] ?? {}) as Record<string, string>;
    for (const entity of config.crudEntities ?? []) {
      if ((entity.schemaVersion ?? 1) <= 1 || found.has(entity.componentId)) continue;
      const modules = migrationModulesOf(config.hostedFunctions, entity.componentId);
      found.set(entity.componentId, {
        componentId: entity.componentId,
        entity,
        endpoint: settings[entity.settings.endpoint] ?? '',
        database: settings[entity.settings.database] ?? '',
        container: settings[entity.settings.container] ?? '',
        modules,
      });
    }
  }
  const all = [...found.values()].sort((a, b) => (a.componentId < b.componentId ? -1 : 1));
  if (component === undefined) return all;
  const one = found.get(component);
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
