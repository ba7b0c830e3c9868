import type { ResourcePlan } from '../../model/plan.js';
import { AtakoraError } from '../../model/errors.js';
import { schemaGuard } from '../../plan/schema-guard.js';

/**
 * Print each CrudApi schema change between the base and the new plan, and a `SCHEMA_MIGRATION_REQUIRED` error
 * for each that needs a migration without a `schemaVersion` rise. Returns whether any blocks (exit code 1).
 *
 * @example
 * ```ts
 * const blocked = reportSchemaGuard([[next, deployed]], (s) => process.stderr.write(s));
 * ```
 */
export function reportSchemaGuard(
  pairs: readonly (readonly [ResourcePlan, ResourcePlan | undefined])[],
  err: (s: string) => void,
): boolean {
  let blocked = false;
  for (const [plan, base] of pairs) {
    if (!base) continue;
    const { changes, violations } = schemaGuard(base, plan);
    for (const c of changes)
      err(
        `Schema change: ${c.componentId}.${c.field}: ${c.detail}${c.needsMigration ? ' (needs a migration)' : ''}\n`,
      );
    for (const v of violations) {
      blocked = true;
      err(`Error ${new AtakoraError(v.code, v.message, { path: [...v.path] }).format()}\n`);
    }
  }
  return blocked;
}
