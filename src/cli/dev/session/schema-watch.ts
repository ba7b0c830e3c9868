import type { ResourcePlan } from '../../../model/plan.js';
import { AtakoraError } from '../../../model/errors.js';
import { schemaGuard } from '../../../plan/schema-guard.js';

/**
 * `atakora dev`'s schema guard on reload: what `atakora diff`/`deploy` would refuse between the schema the local
 * data was written under (`before`: the session's start, or the last reload the guard passed) and the reloaded
 * one — a change that needs a migration without a `schemaVersion` rise, a `schemaVersion` that goes down — as
 * warning lines with the guard's code, message and fix. Dev still serves (the local data is yours to fix); the
 * lines say what deploy will refuse and what items stored before now read as. Empty when nothing needs a
 * migration.
 *
 * @example
 * ```ts
 * for (const line of reloadSchemaWarnings(startPlan, reloadedPlan)) log(line);
 * // 'atakora dev: warning: SCHEMA_MIGRATION_REQUIRED: CrudApi OrderApi: field total changes type …'
 * ```
 */
export function reloadSchemaWarnings(before: ResourcePlan, after: ResourcePlan): string[] {
  const { violations } = schemaGuard(before, after);
  return violations.map(
    (v) =>
      `atakora dev: warning: ${new AtakoraError(v.code, v.message, { path: [...v.path] }).format()}\n` +
      '  atakora dev still serves this change; items stored before it are read as stored (a missing field, a ' +
      'value of the old type), and atakora diff/deploy will refuse it.',
  );
}
